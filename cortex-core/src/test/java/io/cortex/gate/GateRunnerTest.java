package io.cortex.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.config.GateConfig;
import io.cortex.config.GateExpectation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GateRunnerTest {

  private static final int OUTPUT_LIMIT = 4_096;
  private static final long TIME_LIMIT_MS = 20_000L;

  @TempDir Path workTree;

  private final GateRunner runner = new GateRunner();

  private GateResult run(String command, GateExpectation expect) {
    return runner.run(workTree, new GateConfig(command, expect, TIME_LIMIT_MS), OUTPUT_LIMIT);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void succeedingCommandPassesAGateThatExpectsPass() {
    // when
    GateResult result = run("true", GateExpectation.PASS);

    // then
    assertThat(result.passed()).isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(result.timedOut()).isFalse();
    assertThat(result.command()).isEqualTo("true");
    assertThat(result.expect()).isEqualTo(GateExpectation.PASS);
  }

  @Test
  void failingCommandFailsAGateThatExpectsPassAndKeepsItsExitCode() {
    // when
    GateResult result = run("exit 3", GateExpectation.PASS);

    // then
    assertThat(result.passed()).isFalse();
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.timedOut()).isFalse();
  }

  @Test
  void failingCommandPassesAGateThatExpectsFail() {
    // when
    GateResult result = run("echo 'expected <1> but was <0>'; exit 1", GateExpectation.FAIL);

    // then
    assertThat(result.passed()).isTrue();
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void succeedingCommandFailsAGateThatExpectsFail() {
    // when
    GateResult result = run("exit 0", GateExpectation.FAIL);

    // then
    assertThat(result.passed()).isFalse();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void unknownCommandFailsWithTheShellsExitCodeAndMessage() {
    // when
    GateResult result = run("no-such-command-cortex", GateExpectation.PASS);

    // then
    assertThat(result.passed()).isFalse();
    assertThat(result.exitCode()).isEqualTo(127);
    assertThat(result.output()).contains("no-such-command-cortex");
  }

  @Test
  void capturesStdoutAndStderrMergedInOrder() {
    // when
    GateResult result = run("echo out; echo err >&2; echo more", GateExpectation.PASS);

    // then
    assertThat(result.output()).isEqualTo("out\nerr\nmore\n");
  }

  @Test
  void keepsOnlyTheTailOfLongOutputAndMarksTheCut() {
    // when
    GateResult result = runner.run(workTree,
        new GateConfig("seq 1 10000", GateExpectation.PASS, TIME_LIMIT_MS), 256);

    // then
    assertThat(result.output()).startsWith(GateRunner.TRUNCATION_MARK).endsWith("9999\n10000\n");
    String tail = result.output().substring(GateRunner.TRUNCATION_MARK.length());
    assertThat(tail.getBytes(StandardCharsets.UTF_8)).hasSize(256);
    assertThat(result.passed()).isTrue();
  }

  @Test
  void outputWithinTheLimitIsKeptWhole() {
    // when
    GateResult result = runner.run(workTree,
        new GateConfig("printf 'abc'", GateExpectation.PASS, TIME_LIMIT_MS), 3);

    // then
    assertThat(result.output()).isEqualTo("abc");
  }

  @Test
  void cutOutputStartsAtAWholeCharacter() {
    // given: lines of "ä\n" (3 bytes); a 257-byte tail starts inside an "ä"
    String command = "yes ä | head -n 1000";

    // when
    GateResult result = runner.run(workTree,
        new GateConfig(command, GateExpectation.PASS, TIME_LIMIT_MS), 257);

    // then
    assertThat(result.output()).startsWith(GateRunner.TRUNCATION_MARK + "\nä\n")
        .doesNotContain("\uFFFD");
  }

  @Test
  void timeoutKillsTheCommandAndNeverPasses() {
    // given
    GateConfig gate = new GateConfig("echo started; sleep 30", GateExpectation.FAIL, 1_000L);
    long started = System.nanoTime();

    // when
    GateResult result = runner.run(workTree, gate, OUTPUT_LIMIT);

    // then
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(result.timedOut()).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.passed()).isFalse();
    assertThat(result.durationMs()).isBetween(1_000L, 5_000L);
    assertThat(result.output()).isEqualTo("started\n");
  }

  @Test
  void timeoutAlsoKillsTheProcessesTheCommandStarted() throws Exception {
    // given: a child that would outlive its shell and keep the output open
    GateConfig gate = new GateConfig(
        "sleep 30 & echo $! > sleep.pid; wait", GateExpectation.PASS, 1_000L);
    long started = System.nanoTime();

    // when
    GateResult result = runner.run(workTree, gate, OUTPUT_LIMIT);

    // then
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.timedOut()).isTrue();
    long sleepPid = Long.parseLong(Files.readString(workTree.resolve("sleep.pid")).strip());
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (alive(sleepPid) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(alive(sleepPid)).as("sleep child %d is gone", sleepPid).isFalse();
  }

  @Test
  void runsInTheGivenWorkTree() throws Exception {
    // when
    GateResult result = run("pwd", GateExpectation.PASS);

    // then
    assertThat(Path.of(result.output().strip()).toRealPath()).isEqualTo(workTree.toRealPath());
  }

  @Test
  void commandSeesTheWorkTreesFiles() throws Exception {
    // given
    Files.writeString(workTree.resolve("marker.txt"), "here");

    // when
    GateResult result = run("test -f marker.txt", GateExpectation.PASS);

    // then
    assertThat(result.passed()).isTrue();
  }

  @Test
  void environmentIsInheritedPlusCortexGate() {
    // when
    GateResult result = run("echo \"$CORTEX_GATE:${PATH:+path}\"", GateExpectation.PASS);

    // then
    assertThat(result.output()).isEqualTo("1:path\n");
  }

  @Test
  void stdinIsClosedSoACommandReadingItDoesNotWait() {
    // when
    GateResult result = run("cat; echo done", GateExpectation.PASS);

    // then
    assertThat(result.timedOut()).isFalse();
    assertThat(result.output()).isEqualTo("done\n");
  }

  @Test
  void largeOutputDoesNotBlockTheCommand() {
    // given
    GateConfig gate = new GateConfig("yes | head -c 5000000", GateExpectation.PASS, 30_000L);

    // when
    GateResult result = runner.run(workTree, gate, OUTPUT_LIMIT);

    // then
    assertThat(result.timedOut()).isFalse();
    assertThat(result.passed()).isTrue();
    assertThat(result.output()).startsWith(GateRunner.TRUNCATION_MARK)
        .hasSize(GateRunner.TRUNCATION_MARK.length() + OUTPUT_LIMIT)
        .endsWith("y\ny\n");
  }

  @Test
  void missingWorkTreeIsATechnicalFailure() {
    // given
    Path missing = workTree.resolve("gone");
    GateConfig gate = new GateConfig("true", GateExpectation.PASS, TIME_LIMIT_MS);

    // when / then
    assertThatThrownBy(() -> runner.run(missing, gate, OUTPUT_LIMIT))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("could not be started")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void interruptedCallerKillsTheCommand() throws Exception {
    // given
    GateConfig gate = new GateConfig(
        "echo $$ > shell.pid; sleep 30", GateExpectation.PASS, TIME_LIMIT_MS);
    Thread caller = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
      caller.interrupt();
    });
    interrupter.start();

    // when / then
    try {
      assertThatThrownBy(() -> runner.run(workTree, gate, OUTPUT_LIMIT))
          .isInstanceOf(GateException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      interrupter.join();
      Thread.interrupted();
    }
    long shellPid = Long.parseLong(Files.readString(workTree.resolve("shell.pid")).strip());
    assertThat(Optional.of(shellPid).filter(GateRunnerTest::alive)).isEmpty();
  }
}
