package io.cortex.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.db.Transactions;
import io.cortex.engine.EngineTransaction;
import io.cortex.git.GitWorkspace;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention end to end: a real engine, real repositories, hundreds of checkpoints. */
class RetentionServiceTest {

  private static final long HOUR = 3_600_000L;

  @TempDir
  Path temp;

  @Test
  void tightPolicyOnHundredsOfCheckpointsDeletesRefsRowsAndAuditsTogetherAndKeepsTheGuarantees() {
    try (Cortex cortex = TestEngines.cortex()) {
      // given: two sessions on one repository, 300 user checkpoints between them, rollbacks along the way
      TempRepo repo = TempRepo.init(temp).write("README.md", "# retention\n").commitAll("init");
      cortex.startSession(Workflow.PLANNING, "alpha", repo.dir());
      cortex.startSession(Workflow.PLANNING, "beta", repo.dir());
      for (int i = 1; i <= 300; i++) {
        repo.write("work.txt", ("checkpoint " + i + "\n").repeat(20 + i % 17));
        cortex.createCheckpoint(i % 2 == 1 ? "alpha" : "beta", "cp-" + i, Map.of("i", i));
        if (i % 60 == 0) {
          cortex.rollback("alpha", "cp-" + (i - 1), true);
        }
        if (i == 100) {
          cortex.rollback("beta", "cp-98", true);
        }
      }
      cortex.engine().getRuntimeService().deleteProcessInstance(cortex.session("beta").processInstanceId(), "done");
      List<Checkpoint> alphaBefore = cortex.checkpoints("alpha");
      List<Checkpoint> betaBefore = cortex.checkpoints("beta");
      // "now" is one retention period after cp-151: everything taken before it is too old
      Instant cutoff = alphaBefore.stream().filter(c -> c.checkpointId().equals("cp-151")).findFirst().orElseThrow()
          .createdAt();
      Clock clock = Clock.fixed(cutoff.plusMillis(HOUR), ZoneOffset.UTC);
      RetentionPolicy policy = new RetentionPolicy(120, HOUR, 20_000);

      // when
      long started = System.nanoTime();
      RetentionReport report = new RetentionService().run(transactions(cortex), running(cortex), clock, policy);
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      // then: every rule had work, nothing went wrong, and it was quick
      assertThat(alphaBefore).hasSize(1 + 150 + 5);
      assertThat(betaBefore).hasSize(1 + 150 + 1);
      assertThat(report.problems()).isEmpty();
      assertThat(report.deletedPerReason()).allSatisfy((reason, count) -> assertThat(count).as(reason.name()).isPositive());
      assertThat(tookMs).isLessThan(10_000);
      List<Checkpoint> alphaAfter = cortex.checkpoints("alpha");
      List<Checkpoint> betaAfter = cortex.checkpoints("beta");
      assertThat(report.kept()).isEqualTo(alphaAfter.size() + betaAfter.size());
      assertThat(report.deletedCount()).isEqualTo(alphaBefore.size() + betaBefore.size() - report.kept());

      // refs and catalogue rows agree, session by session
      for (String session : List.of("alpha", "beta")) {
        assertThat(refIds(repo, session)).as(session).isEqualTo(ids(cortex.checkpoints(session)));
      }

      // the newest checkpoint of the live session and every young PRE_ROLLBACK are still there
      assertThat(alphaAfter.get(alphaAfter.size() - 1)).isEqualTo(alphaBefore.get(alphaBefore.size() - 1));
      List<Checkpoint> youngPreRollbacks = Stream.concat(alphaBefore.stream(), betaBefore.stream())
          .filter(c -> c.type() == CheckpointType.PRE_ROLLBACK && !c.createdAt().isBefore(cutoff)).toList();
      assertThat(youngPreRollbacks).hasSizeGreaterThanOrEqualTo(2);
      assertThat(Stream.concat(alphaAfter.stream(), betaAfter.stream()).toList()).containsAll(youngPreRollbacks);

      // the limits hold
      assertThat(Stream.concat(alphaAfter.stream(), betaAfter.stream()))
          .allMatch(c -> !c.createdAt().isBefore(cutoff), "nothing older than the retention period is left");
      assertThat(alphaAfter.size()).isLessThanOrEqualTo(120);
      assertThat(betaAfter.size()).isLessThanOrEqualTo(120);
      try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
        long total = Stream.concat(alphaAfter.stream(), betaAfter.stream())
            .mapToLong(c -> git.snapshotSizeBytes(c.snapshotCommit(), c.baseCommit())).sum();
        assertThat(total).isLessThanOrEqualTo(20_000).isPositive();
      }

      // each deletion is in the audit log, once, as retention's
      for (String session : List.of("alpha", "beta")) {
        List<AuditEntry> deletions = cortex.audit(session, 10_000).stream()
            .filter(e -> e.action() == AuditAction.CHECKPOINT_DELETED).toList();
        List<RetentionDeletion> deleted = report.deleted().stream()
            .filter(d -> d.checkpoint().sessionId().equals(session)).toList();
        assertThat(deletions).hasSameSizeAs(deleted);
        assertThat(deletions).allMatch(e -> e.actor().equals(RetentionService.ACTOR));
        assertThat(deletions.stream().map(e -> e.details().get("checkpointId") + " " + e.details().get("type") + " "
            + e.details().get("reason") + " " + e.details().get("snapshotCommit")).toList())
            .containsExactlyInAnyOrderElementsOf(deleted.stream().map(d -> d.checkpoint().checkpointId() + " "
                + d.checkpoint().type() + " " + d.reason() + " " + d.checkpoint().snapshotCommit()).toList());
      }

      // and the repository is sound
      repo.git("fsck", "--no-dangling");

      // a second run finds nothing more to do
      RetentionReport again = new RetentionService().run(transactions(cortex), running(cortex), clock, policy);
      assertThat(again.deleted()).isEmpty();
      assertThat(again.kept()).isEqualTo(report.kept());
    }
  }

  @Test
  void missingRepositoryIsSkippedAndReportedWhileOthersAreCleaned() throws IOException {
    try (Cortex cortex = TestEngines.cortex()) {
      // given: a session whose repository is gone, and a healthy one, each with too many checkpoints
      TempRepo healthy = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");
      TempRepo doomed = TempRepo.init(temp).write("b.txt", "b\n").commitAll("init");
      cortex.startSession(Workflow.PLANNING, "healthy", healthy.dir());
      cortex.startSession(Workflow.PLANNING, "doomed", doomed.dir());
      for (int i = 1; i <= 3; i++) {
        cortex.createCheckpoint("healthy", "h-" + i, Map.of());
        cortex.createCheckpoint("doomed", "d-" + i, Map.of());
      }
      deleteTree(doomed.dir());

      // when
      RetentionReport report = new RetentionService().run(transactions(cortex), running(cortex), Clock.systemUTC(),
          new RetentionPolicy(2, HOUR, 0));

      // then
      assertThat(report.skippedRepositories()).containsExactly(doomed.dir().toAbsolutePath().normalize());
      assertThat(report.problems()).singleElement().asString().contains("doomed").contains("Not a git repository");
      assertThat(ids(cortex.checkpoints("doomed"))).containsExactlyInAnyOrder("session-start", "d-1", "d-2", "d-3");
      assertThat(ids(cortex.checkpoints("healthy"))).containsExactlyInAnyOrder("h-2", "h-3");
      assertThat(refIds(healthy, "healthy")).containsExactlyInAnyOrder("h-2", "h-3");
      assertThat(report.deletedPerReason()).containsEntry(RetentionReason.COUNT, 2);
      assertThat(report.kept()).isEqualTo(2);
    }
  }

  @Test
  void checkpointsOfAnEndedSessionAllGoOnceTooOldButALiveSessionKeepsItsNewest() {
    try (Cortex cortex = TestEngines.cortex()) {
      // given
      TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");
      cortex.startSession(Workflow.PLANNING, "live", repo.dir());
      cortex.startSession(Workflow.PLANNING, "ended", repo.dir());
      cortex.createCheckpoint("live", "l-1", Map.of());
      cortex.createCheckpoint("ended", "e-1", Map.of());
      cortex.engine().getRuntimeService().deleteProcessInstance(cortex.session("ended").processInstanceId(), "done");

      // when: a day later, with a one-hour retention
      Clock dayLater = Clock.fixed(Instant.now().plusMillis(24 * HOUR), ZoneOffset.UTC);
      RetentionReport report = new RetentionService().run(transactions(cortex), running(cortex), dayLater,
          new RetentionPolicy(10, HOUR, 0));

      // then
      assertThat(ids(cortex.checkpoints("live"))).containsExactly("l-1");
      assertThat(cortex.checkpoints("ended")).isEmpty();
      assertThat(refIds(repo, "ended")).isEmpty();
      assertThat(report.deletedPerReason()).containsEntry(RetentionReason.AGE, 3);
    }
  }

  // --- plumbing ---

  private static Transactions transactions(Cortex cortex) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration();
    return new Transactions() {
      @Override
      public <T> T run(Function<Connection, T> work) {
        return configuration.getCommandExecutorTxRequired().execute((CommandContext ctx) ->
            work.apply(EngineTransaction.connection(ctx)));
      }
    };
  }

  private static Function<String, Boolean> running(Cortex cortex) {
    return id -> cortex.engine().getRuntimeService().createProcessInstanceQuery().processInstanceId(id).count() > 0;
  }

  /** The checkpoint ids of a session's refs, as native git lists them. */
  private static Set<String> refIds(TempRepo repo, String session) {
    String prefix = "refs/cortex/checkpoints/" + session + "/";
    return Arrays.stream(repo.git("for-each-ref", "--format=%(refname)", prefix).split("\n"))
        .filter(line -> !line.isBlank()).map(line -> line.substring(prefix.length()))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static Set<String> ids(List<Checkpoint> checkpoints) {
    return checkpoints.stream().map(Checkpoint::checkpointId).collect(Collectors.toCollection(HashSet::new));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
