package io.cortex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.observer.CortexObserver;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.config.CortexConfig;
import io.cortex.config.GateConfig;
import io.cortex.config.GateExpectation;
import io.cortex.config.GatesConfig;
import io.cortex.config.ProgressiveOrder;
import io.cortex.config.RecoveryConfig;
import io.cortex.config.RecoveryStrategy;
import io.cortex.config.RetryConfig;
import io.cortex.recovery.RecoveryAttempt;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real small project with a real test command, generated here: a TDD session whose REFACTOR
 * breaks the tests, recovered by each strategy in turn. The gates run the project's tests: RED
 * expects them to fail, GREEN and REFACTOR to pass.
 */
class TddRecoveryEndToEndTest {

  private static final String TEST_COMMAND = "sh test.sh";
  private static final String WORKING = "echo $(($1 + $2))\n";
  private static final String BROKEN = "echo $(($1 - $2))\n";

  @TempDir
  Path temp;

  @Test
  void immediateReturnsToGreenAndTheTestsPassAgain() throws Exception {
    try (Cortex cortex = TestEngines.cortex(config(RecoveryStrategy.IMMEDIATE, ProgressiveOrder.NEWEST_FIRST))) {
      // given
      TempRepo repo = project();
      List<RecoveryAttempt> attempts = recordAttempts(cortex);
      reachRefactor(cortex, repo, "tdd-immediate");

      // when: the refactor breaks the tests; completing REFACTOR runs its gate
      repo.write("calc.sh", BROKEN);
      cortex.completePhase("tdd-immediate", "REFACTOR", Map.of());

      // then
      assertThat(attempts).singleElement().satisfies(a -> {
        assertThat(a.recovered()).isTrue();
        assertThat(a.target()).isEqualTo("green-1");
      });
      assertThat(runTests(repo)).as("the project's tests pass again").isZero();
      assertThat(cortex.status("tdd-immediate").activePhases()).containsExactly("REFACTOR");
      assertThat(lastOfType(cortex, "tdd-immediate", CheckpointType.RECOVERY_POINT).metrics())
          .containsEntry("strategy", "IMMEDIATE").containsEntry("restored", "green-1");
      cortex.engine().close();
    }
  }

  @Test
  void progressiveFindsTheNewestPassingCheckpointAndBisectNeedsFewerGateRuns() throws Exception {
    RecoveryAttempt linear = progressive(ProgressiveOrder.NEWEST_FIRST, "tdd-linear");
    RecoveryAttempt bisect = progressive(ProgressiveOrder.BISECT, "tdd-bisect");

    assertThat(linear.target()).isEqualTo("still-good-2");
    assertThat(bisect.target()).isEqualTo("still-good-2");
    assertThat(bisect.gateRuns()).as("bisect gate runs vs linear %s", linear.gateRuns()).isLessThan(linear.gateRuns());
  }

  @Test
  void decomposeKeepsTheGoodFileChangesAndReportsTheBreakingOne() throws Exception {
    try (Cortex cortex = TestEngines.cortex(config(RecoveryStrategy.DECOMPOSE, ProgressiveOrder.NEWEST_FIRST))) {
      // given: a refactor that touches three files, one of which breaks the tests
      TempRepo repo = project();
      List<RecoveryAttempt> attempts = recordAttempts(cortex);
      reachRefactor(cortex, repo, "tdd-decompose");
      repo.write("README.md", "# calc\nAdds two numbers.\n").write("lib/format.sh", "printf '%s\\n' \"$1\"\n")
          .write("calc.sh", BROKEN);

      // when
      cortex.completePhase("tdd-decompose", "REFACTOR", Map.of());

      // then
      RecoveryAttempt attempt = attempts.get(0);
      assertThat(attempt.recovered()).isTrue();
      assertThat(attempt.details().get("kept")).isEqualTo(List.of("README.md", "lib/format.sh"));
      assertThat(attempt.details().get("breaking")).isEqualTo(List.of("calc.sh"));
      assertThat(repo.read("README.md")).contains("Adds two numbers.");
      assertThat(repo.read("lib/format.sh")).contains("printf");
      assertThat(repo.read("calc.sh")).isEqualTo(WORKING);
      assertThat(runTests(repo)).as("the project's tests pass").isZero();
      cortex.engine().close();
    }
  }

  /** Several checkpoints during a slow-going refactor: two still pass, then eight are broken. */
  private RecoveryAttempt progressive(ProgressiveOrder order, String session) throws Exception {
    try (Cortex cortex = TestEngines.cortex(config(RecoveryStrategy.PROGRESSIVE, order))) {
      TempRepo repo = project();
      List<RecoveryAttempt> attempts = recordAttempts(cortex);
      reachRefactor(cortex, repo, session);
      for (int i = 1; i <= 2; i++) {
        repo.write("notes.txt", "refactoring step " + i + "\n");
        cortex.createCheckpoint(session, "still-good-" + i, Map.of());
      }
      for (int i = 1; i <= 8; i++) {
        repo.write("calc.sh", "echo $(($1 - $2)) # step " + i + "\n");
        cortex.createCheckpoint(session, "broken-" + i, Map.of());
      }

      cortex.completePhase(session, "REFACTOR", Map.of());

      RecoveryAttempt attempt = attempts.get(0);
      assertThat(attempt.recovered()).isTrue();
      assertThat(runTests(repo)).as("the project's tests pass").isZero();
      assertThat(repo.read("notes.txt")).isEqualTo("refactoring step 2\n");
      cortex.engine().close();
      return attempt;
    }
  }

  private TempRepo project() {
    return TempRepo.init(temp)
        .write("test.sh", "#!/bin/sh\n[ \"$(sh calc.sh 2 3)\" = \"5\" ] || { echo 'FAIL: 2 + 3 != 5'; exit 1; }\necho ok\n")
        .write("calc.sh", "echo 0\n").write("README.md", "# calc\n").commitAll("a calculator to write");
  }

  /** RED (the test fails), GREEN (it passes), then waiting in REFACTOR. */
  private static void reachRefactor(Cortex cortex, TempRepo repo, String session) {
    cortex.startSession(Workflow.TDD, session, repo.dir());
    cortex.completePhase(session, "RED", Map.of("tests_failing", 1));
    repo.write("calc.sh", WORKING);
    cortex.completePhase(session, "GREEN", Map.of("tests_failing", 0));
    assertThat(cortex.status(session).activePhases()).containsExactly("REFACTOR");
    assertThat(cortex.checkpoint(session, "green-1").metrics()).containsEntry("gate_passed", true);
  }

  private static List<RecoveryAttempt> recordAttempts(Cortex cortex) {
    List<RecoveryAttempt> attempts = new CopyOnWriteArrayList<>();
    cortex.addObserver(new CortexObserver() {
      @Override
      public void recoveryAttempted(RecoveryAttempt attempt) {
        attempts.add(attempt);
      }
    });
    return attempts;
  }

  private static Checkpoint lastOfType(Cortex cortex, String session, CheckpointType type) {
    return cortex.checkpoints(session).stream().filter(c -> c.type() == type).reduce((a, b) -> b).orElseThrow();
  }

  private static CortexConfig config(RecoveryStrategy strategy, ProgressiveOrder order) {
    CortexConfig defaults = CortexConfig.defaults();
    GatesConfig gates = new GatesConfig(60_000, 4096, Map.of("cortex-tdd", Map.of(
        "RED", new GateConfig(TEST_COMMAND, GateExpectation.FAIL, 60_000),
        "GREEN", new GateConfig(TEST_COMMAND, GateExpectation.PASS, 60_000),
        "REFACTOR", new GateConfig(TEST_COMMAND, GateExpectation.PASS, 60_000))));
    RecoveryConfig recovery = new RecoveryConfig(strategy, Map.of(), Map.of(), order, new RetryConfig(1, 0, 1.0));
    return new CortexConfig(defaults.checkpoint(), recovery, gates, defaults.retention(), defaults.database(),
        defaults.server());
  }

  private static int runTests(TempRepo repo) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "test.sh").directory(repo.dir().toFile()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
