package io.cortex.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where the resident Cortex of one data directory is found: everything lives in {@code <data>/daemon/}, a folder
 * only its owner may enter (mode 700), so the Unix domain socket in it is reachable by the owner alone.
 *
 * <pre>{@code
 * DaemonAddress address = DaemonAddress.of(Path.of("data"));
 * address.socket();   // data/daemon/cortex.sock
 * address.log();      // data/daemon/daemon.log
 * }</pre>
 *
 * <p>A socket path is limited to 107 bytes by the operating system; for a data directory deep enough to exceed
 * that the socket goes to {@code $TMPDIR/cortex-<user>/<hash of the data directory>.sock} instead (that folder
 * also mode 700). Client and resident process compute the same path from the data directory alone.
 */
public record DaemonAddress(Path dataDir) {

  static final int MAX_SOCKET_PATH = 100;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  public DaemonAddress {
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  public static DaemonAddress of(Path dataDir) {
    return new DaemonAddress(dataDir);
  }

  /** The owner-only folder of the resident process's files. */
  public Path directory() {
    return dataDir.resolve("daemon");
  }

  public Path socket() {
    Path inData = directory().resolve("cortex.sock");
    if (inData.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
      return inData;
    }
    return shortSocketDirectory().resolve(hash(dataDir.toString()) + ".sock");
  }

  /** Held (an OS file lock) by the one process that has the database open. */
  public Path lockFile() {
    return directory().resolve("owner.lock");
  }

  /** Who holds {@link #lockFile()}: pid, kind, since; true only while the lock is held. */
  public Path ownerFile() {
    return directory().resolve("owner.properties");
  }

  /** The resident process's standard output and error. */
  public Path log() {
    return directory().resolve("daemon.log");
  }

  /** Creates the owner-only folders (and the data directory itself) if missing; tightens them if too open. */
  public void createDirectories() throws IOException {
    Files.createDirectories(dataDir);
    ownerOnly(directory());
    Path socket = socket();
    if (!socket.getParent().equals(directory())) {
      ownerOnly(socket.getParent());
    }
  }

  private static void ownerOnly(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process made it meanwhile
      }
    }
    if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }
  }

  private static Path shortSocketDirectory() {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "cortex-" + user);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
