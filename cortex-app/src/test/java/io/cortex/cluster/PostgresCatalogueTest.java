package io.cortex.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.base.CortexException;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.CatalogueRebuild;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointEvents;
import io.cortex.checkpoint.CheckpointExistsException;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.checkpoint.Session;
import io.cortex.db.CortexSchema;
import io.cortex.db.Transactions;
import io.cortex.git.CheckpointRef;
import io.cortex.git.GitWorkspace;
import io.cortex.git.SkippedPath;
import io.cortex.retention.RetentionPolicy;
import io.cortex.retention.RetentionReason;
import io.cortex.retention.RetentionReport;
import io.cortex.retention.RetentionService;
import io.cortex.testing.TempRepo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement Cortex runs on its own tables — the DDL of {@link CortexSchema} and the DML of {@link Catalogue},
 * {@link AuditLog}, {@link Checkpointer}, {@link RetentionService} and {@link CatalogueRebuild} — on a real
 * PostgreSQL (see {@link TestPostgres}), with plain JDBC transactions as the engine would run them: BIGINT
 * columns beyond the int range, VARCHAR without a length holding large JSON, NULLs, {@code COALESCE(MAX(SEQ_), 0) + 1},
 * {@code LIMIT ?}, the unique index on the sequence, and migrating again at every engine start.
 */
@Tag("slow")
class PostgresCatalogueTest {

  private static TestPostgres.Database database;

  @TempDir
  Path temp;

  @BeforeAll
  static void createDatabase() {
    database = TestPostgres.freshDatabase("cortex_catalogue");
    CortexSchema.migrate(database.dataSource());
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.drop();
    }
  }

  /** Each unit of work in a transaction of its own, as {@code NewTransactions} runs it in the engine. */
  private static final Transactions TRANSACTIONS = new Transactions() {
    @Override
    public <T> T run(Function<Connection, T> work) {
      try (Connection connection = database.connect()) {
        connection.setAutoCommit(false);
        try {
          T result = work.apply(connection);
          connection.commit();
          return result;
        } catch (RuntimeException e) {
          connection.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  private static <T> T inCatalogue(Function<Catalogue, T> work) {
    return TRANSACTIONS.run(c -> work.apply(new Catalogue(c)));
  }

  @Test
  void schemaIsIdempotentAndHasTheIntendedColumnTypes() throws SQLException {
    // every engine start migrates again: nothing is pending the second time
    CortexSchema.migrate(database.dataSource());
    CortexSchema.migrate(database.dataSource());

    Map<String, String> types = new TreeMap<>();
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type, character_maximum_length"
             + " FROM information_schema.columns WHERE table_name LIKE 'cortex_%'")) {
      while (rs.next()) {
        types.put(rs.getString(1) + "." + rs.getString(2),
            rs.getString(3) + (rs.getObject(4) == null ? "" : "(" + rs.getInt(4) + ")"));
      }
    }
    // unquoted identifiers: PostgreSQL folds them to lower case, H2 to upper case; the SQL never quotes them
    assertThat(types).containsEntry("cortex_checkpoint.seq_", "bigint")
        .containsEntry("cortex_checkpoint.created_at_", "bigint")
        .containsEntry("cortex_checkpoint.metrics_", "character varying")
        .containsEntry("cortex_checkpoint.skipped_", "character varying")
        .containsEntry("cortex_checkpoint.snapshot_commit_", "character varying(64)")
        .containsEntry("cortex_session.repo_path_", "character varying(4000)")
        .containsEntry("cortex_session.created_at_", "bigint")
        .containsEntry("cortex_audit.timestamp_", "bigint")
        .containsEntry("cortex_audit.details_", "character varying");

    List<String> indexes = new ArrayList<>();
    try (Connection c = database.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'cortex_%'")) {
      while (rs.next()) {
        indexes.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    assertThat(indexes).anyMatch(i -> i.startsWith("cortex_idx_cp_seq CREATE UNIQUE INDEX"))
        .anyMatch(i -> i.startsWith("cortex_idx_cp_act "))
        .anyMatch(i -> i.startsWith("cortex_idx_session_pi "))
        .anyMatch(i -> i.startsWith("cortex_idx_audit_session "));
  }

  @Test
  void sessionsRoundTripWithNullsAndAreFoundByRepository() {
    Instant created = Instant.parse("2026-01-02T03:04:05.678Z");
    Session imported = new Session("pg-imported", null, null, Path.of("/repos/one"), created);
    Session running = new Session("pg-running", "cortex-tdd", "proc-1", Path.of("/repos/one"), created);
    Session other = new Session("pg-other", "cortex-planning", "proc-2", Path.of("/repos/two"), created);
    TRANSACTIONS.run(c -> {
      Catalogue catalogue = new Catalogue(c);
      catalogue.insertSession(running);
      catalogue.insertSession(other);
      catalogue.insertSession(imported);
      return null;
    });

    assertThat(session("pg-imported")).contains(imported);
    assertThat(session("pg-nope")).isEmpty();
    assertThat(inCatalogue(Catalogue::sessions)).containsSubsequence(imported, other, running);
    List<Session> ofRepository = inCatalogue(cat -> cat.sessionsOfRepository(Path.of("/repos/one")));
    assertThat(ofRepository).containsExactly(imported, running);
    // a second row for the session is refused by the primary key, and nothing of that transaction stays
    assertThatThrownBy(() -> TRANSACTIONS.run(c -> {
      new Catalogue(c).insertSession(new Session("pg-fresh", null, null, Path.of("/repos/three"), created));
      new Catalogue(c).insertSession(running);
      return null;
    })).isInstanceOf(CortexException.class).hasMessageContaining("duplicate key");
    assertThat(session("pg-fresh")).isEmpty();
  }

  @Test
  void checkpointsRoundTripEveryColumnIncludingBigIntsLargeJsonAndNulls() {
    String session = "pg-columns";
    TRANSACTIONS.run(c -> {
      new Catalogue(c).insertSession(new Session(session, "cortex-tdd", "proc-9", Path.of("/repos/x"), Instant.EPOCH));
      return null;
    });
    assertThat(nextSequence(session)).isEqualTo(1L);

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("tests_passing", 42);
    metrics.put("ok", true);
    metrics.put("note", "Grüße, 你好, emoji \uD83D\uDE80, quotes ' \" and back\\slash");
    metrics.put("nested", Map.of("list", List.of(1, 2, 3)));
    metrics.put("output", "x".repeat(300_000)); // far beyond any VARCHAR(n) a column might have had
    long bigSequence = 5_000_000_000L; // beyond INTEGER
    Instant created = Instant.parse("2026-05-06T07:08:09.123Z");
    Checkpoint full = new Checkpoint(session, "green-1", bigSequence, CheckpointType.PHASE_END, "GREEN", "proc-9",
        "act-1", "a".repeat(40), "b".repeat(40), "main", created, metrics,
        List.of(new SkippedPath("big.bin", SkippedPath.Reason.TOO_LARGE, 123_456_789_012L)), "h".repeat(64));
    Checkpoint sparse = new Checkpoint(session, "user-1", 7, CheckpointType.USER_REQUESTED, null, null, null, null,
        "c".repeat(40), null, created.plusMillis(1), Map.of(), List.of(), "i".repeat(64));
    TRANSACTIONS.run(c -> {
      Catalogue catalogue = new Catalogue(c);
      catalogue.insert(full);
      catalogue.insert(sparse);
      return null;
    });

    assertThat(checkpoint(session, "green-1")).contains(full);
    assertThat(checkpoint(session, "user-1")).contains(sparse);
    assertThat(checkpoints(session)).containsExactly(sparse, full); // ORDER BY SEQ_
    Optional<Checkpoint> ofPhaseEnd = inCatalogue(
        cat -> cat.checkpointOfActivityInstance(session, "act-1", CheckpointType.PHASE_END));
    Optional<Checkpoint> ofRecovery = inCatalogue(
        cat -> cat.checkpointOfActivityInstance(session, "act-1", CheckpointType.RECOVERY_POINT));
    assertThat(ofPhaseEnd).contains(full);
    assertThat(ofRecovery).isEmpty();
    // COALESCE(MAX(SEQ_), 0) + 1 stays BIGINT
    assertThat(nextSequence(session)).isEqualTo(bigSequence + 1);

    // the unique index on (session, sequence) holds on PostgreSQL too
    Checkpoint sameSequence = new Checkpoint(session, "user-2", 7, CheckpointType.USER_REQUESTED, null, null, null,
        null, "d".repeat(40), null, created, Map.of(), List.of(), "j".repeat(64));
    assertThatThrownBy(() -> inCatalogue(cat -> {
      cat.insert(sameSequence);
      return null;
    })).isInstanceOf(CortexException.class).hasMessageContaining("cortex_idx_cp_seq");

    assertThat(deleteCheckpoint(session, "user-1")).isTrue();
    assertThat(deleteCheckpoint(session, "user-1")).isFalse();
    assertThat(checkpoints(session)).containsExactly(full);
    inCatalogue(cat -> {
      cat.deleteCheckpoints(session);
      return null;
    });
    assertThat(checkpoints(session)).isEmpty();
    assertThat(nextSequence(session)).isEqualTo(1L);
  }

  @Test
  void auditLogAppendsAndReturnsTheNewestEntriesOldestFirstWithLimit() {
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    List<AuditEntry> written = new ArrayList<>();
    TRANSACTIONS.run(c -> {
      AuditLog audit = new AuditLog(c);
      for (int i = 0; i < 25; i++) {
        written.add(audit.append(AuditAction.CHECKPOINT_CREATED, start.plusMillis(i / 3), "pg-audit-a", "tester",
            Map.of("i", i, "text", "ä ö ü"), AuditOutcome.SUCCESS));
      }
      for (int i = 0; i < 5; i++) {
        audit.append(AuditAction.SAFETY_REFUSED, start.plusSeconds(10 + i), "pg-audit-b", null, Map.of(),
            AuditOutcome.FAILURE);
      }
      audit.append(AuditAction.RECOVERY_ATTEMPTED, start.plusSeconds(60), null, "engine", Map.of("sessionless", true),
          AuditOutcome.PARTIAL);
      return null;
    });

    List<AuditEntry> newestTen = audit("pg-audit-a", 10);
    assertThat(newestTen).containsExactlyElementsOf(written.subList(15, 25));
    assertThat(audit("pg-audit-a", 1000)).containsExactlyElementsOf(written);
    assertThat(audit("pg-audit-b", 1000))
        .hasSize(5).allMatch(e -> e.actor() == null && e.outcome() == AuditOutcome.FAILURE);
    List<AuditEntry> all = audit(null, 100_000);
    assertThat(all.stream().filter(e -> e.sessionId() == null).toList()).singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("sessionless", true));
    assertThat(audit(null, 1)).containsExactly(all.get(all.size() - 1));
  }

  @Test
  void checkpointsTakenRetentionAndRebuildKeepRowsAndRefsInAgreement() {
    TempRepo repo = TempRepo.init(temp).write("README.md", "# pg\n").commitAll("init");
    String session = "pg-lifecycle";
    Instant t0 = Instant.parse("2026-04-01T10:00:00Z");
    MutableClock clock = new MutableClock(t0);
    Checkpointer checkpointer = new Checkpointer(1_000_000, clock, CheckpointEvents.NONE);
    TRANSACTIONS.run(c -> {
      new Catalogue(c).insertSession(new Session(session, "cortex-tdd", null, repo.dir(), t0));
      return null;
    });

    // given: six checkpoints, one per minute, a phase end among them
    List<Checkpoint> taken = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      repo.write("work.txt", "step " + i + "\n");
      clock.set(t0.plusSeconds(60L * i));
      CheckpointRequest request = i == 3
          ? new CheckpointRequest(session, CheckpointType.PHASE_END, null, "GREEN", "proc-x", "act-green", Map.of("i", i))
          : new CheckpointRequest(session, CheckpointType.USER_REQUESTED, "cp-" + i, null, null, null, Map.of("i", i));
      taken.add(TRANSACTIONS.run(c -> checkpointer.take(new Catalogue(c), request)));
    }
    assertThat(taken).extracting(Checkpoint::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(taken.get(2).checkpointId()).isEqualTo("green-1");
    // a retried phase end finds its checkpoint; an existing id is refused before anything is written
    Checkpoint retried = TRANSACTIONS.run(c -> checkpointer.take(new Catalogue(c), new CheckpointRequest(session,
        CheckpointType.PHASE_END, null, "GREEN", "proc-x", "act-green", Map.of())));
    assertThat(retried).isEqualTo(taken.get(2));
    assertThatThrownBy(() -> TRANSACTIONS.run(c -> checkpointer.take(new Catalogue(c), new CheckpointRequest(session,
        CheckpointType.USER_REQUESTED, "cp-1", null, null, null, Map.of())))).isInstanceOf(CheckpointExistsException.class);
    assertRowsMatchRefs(repo, session);

    // when: retention keeps the newest three (the session is not live)
    RetentionReport report = new RetentionService().run(TRANSACTIONS, processInstance -> false,
        Clock.fixed(t0.plusSeconds(600), ZoneOffset.UTC), new RetentionPolicy(3, 3_600_000L, 0));

    // then: rows, refs and the audit log agree
    assertThat(report.problems()).isEmpty();
    assertThat(report.deletedCount(RetentionReason.COUNT)).isEqualTo(3);
    assertThat(checkpoints(session)).containsExactlyElementsOf(taken.subList(3, 6));
    assertRowsMatchRefs(repo, session);
    assertThat(audit(session, 100))
        .filteredOn(e -> e.action() == AuditAction.CHECKPOINT_DELETED)
        .extracting(e -> e.details().get("checkpointId"))
        .containsExactlyInAnyOrder("cp-1", "cp-2", "green-1");

    // and: the rows can be rebuilt from the refs alone
    inCatalogue(cat -> {
      cat.deleteCheckpoints(session);
      return null;
    });
    CatalogueRebuild.Report rebuilt = inCatalogue(cat -> CatalogueRebuild.run(cat, repo.dir(), session, t0));
    assertThat(rebuilt.problems()).isEmpty();
    assertThat(rebuilt.checkpoints()).isEqualTo(3);
    assertThat(checkpoints(session)).containsExactlyElementsOf(taken.subList(3, 6));
    assertRowsMatchRefs(repo, session);
  }

  private static Optional<Session> session(String sessionId) {
    return inCatalogue(cat -> cat.session(sessionId));
  }

  private static List<Checkpoint> checkpoints(String sessionId) {
    return inCatalogue(cat -> cat.checkpoints(sessionId));
  }

  private static Optional<Checkpoint> checkpoint(String sessionId, String checkpointId) {
    return inCatalogue(cat -> cat.checkpoint(sessionId, checkpointId));
  }

  private static long nextSequence(String sessionId) {
    return inCatalogue(cat -> cat.nextSequence(sessionId));
  }

  private static boolean deleteCheckpoint(String sessionId, String checkpointId) {
    return inCatalogue(cat -> cat.deleteCheckpoint(sessionId, checkpointId));
  }

  private static List<AuditEntry> audit(String sessionId, int limit) {
    return TRANSACTIONS.run(c -> new AuditLog(c).entries(sessionId, limit));
  }

  private static void assertRowsMatchRefs(TempRepo repo, String session) {
    Map<String, String> rows = new TreeMap<>();
    checkpoints(session).forEach(c -> rows.put(c.checkpointId(), c.snapshotCommit()));
    Map<String, String> refs = new TreeMap<>();
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      for (CheckpointRef ref : git.checkpointRefs(session)) {
        refs.put(ref.checkpointId(), ref.commitId());
      }
    }
    assertThat(refs).isEqualTo(rows);
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
