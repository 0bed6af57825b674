package io.cortex.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first Camunda user of a new server, a member of {@value Groups#CAMUNDA_ADMIN} with every permission
 * (as Camunda's own {@code camunda.bpm.admin-user} creates it):
 * <ul>
 *   <li>{@code CORTEX_ADMIN_USER} / {@code CORTEX_ADMIN_PASSWORD} (or the properties {@code cortex.admin.user} /
 *       {@code cortex.admin.password}): this user is created when it does not exist yet;</li>
 *   <li>otherwise, when the engine has no user at all: {@code admin} with a random password, printed once to
 *       stdout and written to {@code <data>/admin-password.txt}, readable by the owner only.</li>
 * </ul>
 * An existing user is never changed.
 */
final class AdminUser {

  static final String DEFAULT_ID = "admin";
  static final String PASSWORD_FILE = "admin-password.txt";
  private static final Logger LOG = LoggerFactory.getLogger(AdminUser.class);
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private AdminUser() {
  }

  /**
   * The administrators' group of a database that Camunda 7 wrote. Operaton calls its own {@code operaton-admin}
   * ({@code Groups.OPERATON_ADMIN}); the Operaton build of this class compares the two (docs/operaton.md).
   */
  static final String CAMUNDA_7_ADMIN_GROUP = "camunda-admin";

  static void ensure(ProcessEngine engine, String configuredId, String configuredPassword, Path dataDir, PrintStream out) {
    adoptCamunda7Administrators(engine);
    IdentityService identity = engine.getIdentityService();
    boolean configured = configuredId != null && !configuredId.isBlank();
    String id = configured ? configuredId.strip() : DEFAULT_ID;
    if (configured ? identity.createUserQuery().userId(id).count() > 0 : identity.createUserQuery().count() > 0) {
      return;
    }
    boolean generated = configuredPassword == null || configuredPassword.isEmpty();
    String password = generated ? randomPassword() : configuredPassword;
    User user = identity.newUser(id);
    user.setFirstName("Cortex");
    user.setLastName("Administrator");
    user.setPassword(password);
    identity.saveUser(user);
    grantAdmin(engine, id);
    if (generated) {
      Path file = dataDir.resolve(PASSWORD_FILE);
      writeOwnerOnly(file, id + ":" + password + "\n");
      out.println();
      out.println("  Cortex created the first Camunda user.");
      out.println("    user:     " + id);
      out.println("    password: " + password);
      out.println("  It is shown only now; it is also in " + file + " (readable by you only).");
      out.println("  Set CORTEX_ADMIN_USER and CORTEX_ADMIN_PASSWORD before the first start to choose them yourself.");
      out.println();
      out.flush();
    } else {
      LOG.info("Created the Camunda administrator '{}' from CORTEX_ADMIN_USER / CORTEX_ADMIN_PASSWORD", id);
    }
  }

  /**
   * On Operaton, the members of {@value #CAMUNDA_7_ADMIN_GROUP} in a database Camunda 7 wrote become members of
   * Operaton's administrators' group too. Operaton no longer counts them as administrators, and its Admin webapp
   * offers anyone who opens it to create a "first" administrator while that group has no member. On Camunda the
   * two groups are one: nothing to do.
   */
  static void adoptCamunda7Administrators(ProcessEngine engine) {
    if (Groups.CAMUNDA_ADMIN.equals(CAMUNDA_7_ADMIN_GROUP)) {
      return;
    }
    IdentityService identity = engine.getIdentityService();
    for (User user : identity.createUserQuery().memberOfGroup(CAMUNDA_7_ADMIN_GROUP).list()) {
      if (identity.createUserQuery().userId(user.getId()).memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
        grantAdmin(engine, user.getId());
        LOG.info("Made '{}', an administrator of the Camunda 7 database ({}), a member of {}", user.getId(),
            CAMUNDA_7_ADMIN_GROUP, Groups.CAMUNDA_ADMIN);
      }
    }
  }

  /** Membership in the administrators' group, which holds ALL on every resource. */
  private static void grantAdmin(ProcessEngine engine, String userId) {
    IdentityService identity = engine.getIdentityService();
    AuthorizationService authorizations = engine.getAuthorizationService();
    if (identity.createGroupQuery().groupId(Groups.CAMUNDA_ADMIN).count() == 0) {
      Group group = identity.newGroup(Groups.CAMUNDA_ADMIN);
      group.setName("Camunda BPM Administrators");
      group.setType(Groups.GROUP_TYPE_SYSTEM);
      identity.saveGroup(group);
    }
    for (Resources resource : Resources.values()) {
      if (authorizations.createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN).resourceType(resource)
          .resourceId(Authorization.ANY).count() == 0) {
        Authorization all = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        all.setGroupId(Groups.CAMUNDA_ADMIN);
        all.setResource(resource);
        all.setResourceId(Authorization.ANY);
        all.addPermission(Permissions.ALL);
        authorizations.saveAuthorization(all);
      }
    }
    identity.createMembership(userId, Groups.CAMUNDA_ADMIN);
  }

  private static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }

  /** Writes the file with permissions 0600 from the start (never world-readable, not even briefly). */
  private static void writeOwnerOnly(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      } catch (FileAlreadyExistsException raced) {
        throw new IOException("someone created " + file + " at the same time", raced);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the admin password to " + file + ": " + e.getMessage(), e);
    }
  }
}
