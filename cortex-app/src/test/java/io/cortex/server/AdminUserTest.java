package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.config.CortexConfig;
import io.cortex.testing.TestEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first administrator, on a plain engine: from the environment, or generated and shown once. */
class AdminUserTest {

  @TempDir
  Path data;

  private ProcessEngine engine;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @BeforeEach
  void engine() {
    engine = TestEngines.withPlugin(CortexConfig.defaults());
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void withoutAnyUserAnAdminWithARandomPasswordIsCreatedShownOnceAndSavedForTheOwnerOnly() throws Exception {
    // when
    AdminUser.ensure(engine, null, null, data, out);
    String first = printed.toString(StandardCharsets.UTF_8);
    AdminUser.ensure(engine, null, null, data, out);

    // then
    Path file = data.resolve(AdminUser.PASSWORD_FILE);
    String password = Files.readString(file).strip().substring("admin:".length());
    assertThat(password).hasSize(20);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(first).contains("user:     admin", "password: " + password, file.toString());
    assertThat(printed.toString(StandardCharsets.UTF_8)).as("printed once").isEqualTo(first);
    assertThat(engine.getIdentityService().checkPassword("admin", password)).isTrue();
    assertAdmin("admin");
  }

  @Test
  void theConfiguredUserIsCreatedWithItsPasswordAndNothingIsPrintedOrWritten() {
    // when
    AdminUser.ensure(engine, "ops", "s3cret-pass", data, out);

    // then
    assertThat(engine.getIdentityService().checkPassword("ops", "s3cret-pass")).isTrue();
    assertAdmin("ops");
    assertThat(printed.size()).isZero();
    assertThat(data.resolve(AdminUser.PASSWORD_FILE)).doesNotExist();
  }

  @Test
  void anExistingUserIsNeverChanged() {
    // given
    var user = engine.getIdentityService().newUser("ops");
    user.setPassword("original");
    engine.getIdentityService().saveUser(user);

    // when
    AdminUser.ensure(engine, "ops", "other", data, out);
    AdminUser.ensure(engine, null, null, data, out);

    // then: no password change, no generated admin because a user exists
    assertThat(engine.getIdentityService().checkPassword("ops", "original")).isTrue();
    assertThat(engine.getIdentityService().createUserQuery().count()).isEqualTo(1);
    assertThat(printed.size()).isZero();
  }

  @Test
  void administratorsOfACamunda7DatabaseStayAdministratorsOnEitherEngine() throws SQLException {
    // given: a database whose administrator Camunda 7 made (member of camunda-admin only)
    // (written as Camunda 7 wrote them: Operaton refuses to create a group of that name through its API)
    IdentityService identity = engine.getIdentityService();
    identity.saveUser(identity.newUser("ops"));
    try (Connection db = engine.getProcessEngineConfiguration().getDataSource().getConnection();
         Statement sql = db.createStatement()) {
      sql.executeUpdate("insert into ACT_ID_GROUP (ID_, REV_, NAME_, TYPE_) values ('"
          + AdminUser.CAMUNDA_7_ADMIN_GROUP + "', 1, 'Camunda BPM Administrators', 'SYSTEM')");
      sql.executeUpdate("insert into ACT_ID_MEMBERSHIP (USER_ID_, GROUP_ID_) values ('ops', '"
          + AdminUser.CAMUNDA_7_ADMIN_GROUP + "')");
    }

    // when: the server starts on it (Camunda 7.24, or the Operaton build)
    AdminUser.ensure(engine, null, null, data, out);
    AdminUser.ensure(engine, null, null, data, out);

    // then: no second administrator, and ops is a member of this engine's administrators' group
    // (camunda-admin on Camunda, operaton-admin on Operaton), which holds every permission
    assertThat(identity.createUserQuery().count()).isEqualTo(1);
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).userId("ops").count()).isEqualTo(1);
    assertThat(engine.getAuthorizationService().createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN)
        .resourceType(Resources.PROCESS_INSTANCE).count()).isEqualTo(
        Groups.CAMUNDA_ADMIN.equals(AdminUser.CAMUNDA_7_ADMIN_GROUP) ? 0 : 1);
  }

  private void assertAdmin(String userId) {
    assertThat(engine.getIdentityService().createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).userId(userId).count())
        .isEqualTo(1);
    for (Resources resource : Resources.values()) {
      assertThat(engine.getAuthorizationService().createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN)
          .resourceType(resource).resourceId(Authorization.ANY).hasPermission(Permissions.ALL).count())
          .as("ALL on %s", resource).isEqualTo(1);
    }
  }
}
