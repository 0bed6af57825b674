package io.cortex.client;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Which process has a data directory's database open, as written next to its lock ({@link DaemonAddress#ownerFile()}).
 * Believe it only while the lock is held: a process killed with {@code kill -9} leaves the file behind.
 *
 * @param kind {@code daemon} (the resident process), {@code serve} or {@code cli} (a {@code --no-daemon} call)
 */
public record OwnerRecord(long pid, String kind, Instant since, String build) {

  /** {@code pid 1234 (the resident Cortex, since …)} */
  public String describe() {
    String what = switch (kind) {
      case "daemon" -> "the resident Cortex";
      case "serve" -> "'cortex serve'";
      case "cli" -> "a 'cortex --no-daemon' call";
      default -> kind;
    };
    return "pid " + pid + " (" + what + ", since " + since + ")";
  }

  public boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  public void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("kind", kind);
    p.setProperty("since", since.toString());
    p.setProperty("build", build);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "the process that has this data directory's database open");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static Optional<OwnerRecord> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(new OwnerRecord(Long.parseLong(p.getProperty("pid")), p.getProperty("kind", "?"),
          Instant.parse(p.getProperty("since")), p.getProperty("build", "?")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
