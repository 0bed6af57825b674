package io.cortex.db;

import io.cortex.base.CortexException;
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
 * The newest audit entry the database is known to have held, kept in a file next to it and written after every
 * command that wrote: a database found without that entry has gone back in time (a file system restored from an
 * old snapshot, or an embedded database that fell back to an older version of itself on open) and must not take
 * new writes, which would bury what was lost under new history.
 *
 * <pre>{@code
 * HighWaterMark mark = HighWaterMark.in(dataDir);
 * mark.check(transactions).ifPresent(problem -> { throw new DatabaseWentBackException(problem); });
 * ...                         // the command writes
 * mark.advance(transactions); // after it committed
 * }</pre>
 *
 * <p>Every writing operation of Cortex leaves an audit entry (checkpoint, rollback, undo, refusal, resumed
 * operation), and entry ids sort by time, so "the marked entry is present" is the test. See docs/reliability.md,
 * "When the database went back".
 */
public final class HighWaterMark {

  public static final String FILE_NAME = "high-water-mark.properties";

  private final Path file;
  private volatile String lastWritten;

  private HighWaterMark(Path file) {
    this.file = file;
  }

  public static HighWaterMark in(Path dataDir) {
    return new HighWaterMark(dataDir.resolve(FILE_NAME));
  }

  public Path file() {
    return file;
  }

  /** The mark's entry id and when it was written, if there is a mark. */
  public Optional<Mark> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new CortexException("Cannot read the database's high-water mark " + file + ": " + e.getMessage(), e);
    }
    String entry = p.getProperty("lastAuditEntry");
    if (entry == null || entry.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new Mark(entry, Long.parseLong(p.getProperty("auditEntries", "0")),
        Instant.parse(p.getProperty("writtenAt", Instant.EPOCH.toString()))));
  }

  /** What is wrong when the database lacks the marked entry (it went back), else empty. */
  public Optional<String> check(Transactions transactions) {
    Optional<Mark> mark = read();
    if (mark.isEmpty()) {
      return Optional.empty();
    }
    Mark expected = mark.get();
    Mark actual = current(transactions);
    boolean present = transactions.run(c -> new Jdbc(c).queryOne("SELECT 1 FROM CORTEX_AUDIT WHERE ENTRY_ID_ = ?",
        rs -> true, expected.lastAuditEntry()).isPresent());
    if (present) {
      lastWritten = actual.lastAuditEntry();
      return Optional.empty();
    }
    return Optional.of("The database holds " + actual.auditEntries() + " audit entries, the newest "
        + describe(actual.lastAuditEntry()) + ", but on " + expected.writtenAt() + " it held "
        + expected.auditEntries() + ", the newest " + describe(expected.lastAuditEntry())
        + " (recorded in " + file + "): it has gone back in time and lost what was written since.");
  }

  /** Records the database's newest audit entry as the mark (when it changed); call after a command committed. */
  public synchronized void advance(Transactions transactions) {
    Mark now = current(transactions);
    if (now.lastAuditEntry() == null || (lastWritten != null && now.lastAuditEntry().compareTo(lastWritten) <= 0)) {
      return; // unchanged, or a command that finished later saw less: the mark never goes back
    }
    Properties p = new Properties();
    p.setProperty("lastAuditEntry", now.lastAuditEntry());
    p.setProperty("auditEntries", Long.toString(now.auditEntries()));
    p.setProperty("writtenAt", Instant.now().toString());
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "Newest audit entry of the database here; a database without it went back in time."
            + " See docs/reliability.md");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      lastWritten = now.lastAuditEntry();
    } catch (IOException e) {
      throw new CortexException("Cannot write the database's high-water mark " + file + ": " + e.getMessage(), e);
    }
  }

  private static Mark current(Transactions transactions) {
    return transactions.run(c -> new Jdbc(c).queryOne("SELECT MAX(ENTRY_ID_), COUNT(*) FROM CORTEX_AUDIT",
        rs -> new Mark(rs.getString(1), rs.getLong(2), Instant.now())).orElseThrow());
  }

  /** {@code 0001733612345678-000042-ab12cd34} → {@code written 2024-12-07T…} */
  private static String describe(String entryId) {
    if (entryId == null) {
      return "none";
    }
    try {
      return entryId + " (written " + Instant.ofEpochMilli(Long.parseLong(entryId.substring(0, 13))) + ")";
    } catch (RuntimeException e) {
      return entryId;
    }
  }

  /** @param lastAuditEntry the newest {@code CORTEX_AUDIT.ENTRY_ID_} (ids sort by time) */
  public record Mark(String lastAuditEntry, long auditEntries, Instant writtenAt) {
  }
}
