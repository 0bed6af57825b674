package io.cortex.rollback.command;

import io.cortex.checkpoint.CheckpointNotFoundException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.SessionNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetResolverTest {

  private static final String FEAT = "feat";

  private final RollbackCommandParser parser = new RollbackCommandParser();
  private final TargetResolver resolver = new TargetResolver();

  /** A TDD session, oldest first; the last checkpoint was taken before an earlier rollback. */
  private final List<Checkpoint> feat = List.of(
      checkpoint(FEAT, "start", CheckpointType.SESSION_START, null, Map.of()),
      checkpoint(FEAT, "dor-1", CheckpointType.PHASE_END, "DoR", Map.of()),
      checkpoint(FEAT, "red-1", CheckpointType.PHASE_END, "RED", Map.of("tests_failing", 3)),
      checkpoint(FEAT, "green-1", CheckpointType.PHASE_END, "GREEN", Map.of("tests_failing", 0)),
      checkpoint(FEAT, "refactor-1", CheckpointType.PHASE_END, "REFACTOR", Map.of("tests_passing", 12)),
      checkpoint(FEAT, "red-2", CheckpointType.PHASE_END, "RED", Map.of("tests_failing", 1)),
      checkpoint(FEAT, "pre-rollback-1", CheckpointType.PRE_ROLLBACK, "GREEN", Map.of("tests_failing", 0)));

  private final Map<String, List<Checkpoint>> oneSession = Map.of(FEAT, feat);

  @ParameterizedTest
  @CsvSource({
      "rollback to dor-1 session feat,          dor-1",
      "rollback feat to pre-rollback-1,         pre-rollback-1",
      "rollback feat to last green,             green-1",
      "rollback feat to last RED,               red-2",
      "rollback feat to last dor,               dor-1",
      "rollback feat to before REFACTOR,        green-1",
      "rollback feat to before green,           red-1",
      "rollback feat to before DoR,             start",
      "rollback feat to last passing,           refactor-1",
      "rollback feat to latest,                 red-2",
      "rollback feat to last,                   red-2"})
  void resolvesEveryKindOfTargetInANamedSession(String text, String checkpointId) {
    // given
    ParsedCommand command = parser.parse(text);

    // when
    Resolution resolution = resolver.resolve(command, oneSession, Map.of(FEAT, List.of()));

    // then
    assertThat(resolution.sessionId()).isEqualTo(FEAT);
    assertThat(resolution.checkpoint().checkpointId()).isEqualTo(checkpointId);
  }

  @Test
  void neverChoosesAPreRollbackCheckpointByMeaning() {
    // given: the newest checkpoint, of phase GREEN and passing, was taken before a rollback
    Map<String, List<Checkpoint>> sessions = oneSession;

    // when
    String lastGreen = resolve("rollback to last green", sessions, null).checkpoint().checkpointId();
    String latest = resolve("rollback to latest", sessions, null).checkpoint().checkpointId();
    String lastPassing = resolve("rollback to last passing", sessions, null).checkpoint().checkpointId();
    String exact = resolve("rollback to pre-rollback-1", sessions, null).checkpoint().checkpointId();

    // then
    assertThat(lastGreen).isEqualTo("green-1");
    assertThat(latest).isEqualTo("red-2");
    assertThat(lastPassing).isEqualTo("refactor-1");
    assertThat(exact).isEqualTo("pre-rollback-1");
  }

  @Test
  void beforeARunningPhaseMeansTheNewestCheckpoint() {
    // given: GREEN runs again after red-2
    Map<String, List<String>> active = Map.of(FEAT, List.of("GREEN"));

    // when
    Resolution resolution = resolve("rollback feat to before green", oneSession, active);

    // then
    assertThat(resolution.checkpoint().checkpointId()).isEqualTo("red-2");
  }

  @Test
  void beforeAPhaseWhoseLastCheckpointIsTheFirstHasNothingToGoBackTo() {
    // given
    Map<String, List<Checkpoint>> sessions = Map.of(FEAT, List.of(
        checkpoint(FEAT, "pre-rollback-1", CheckpointType.PRE_ROLLBACK, null, Map.of()),
        checkpoint(FEAT, "dor-1", CheckpointType.PHASE_END, "DoR", Map.of())));

    // when / then
    assertThatThrownBy(() -> resolve("rollback to before DoR", sessions, null))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessageContaining("Nothing to roll back to before phase 'DoR' in session feat")
        .hasMessageContaining("'dor-1' is the session's first checkpoint");
  }

  @Test
  void beforeAPhaseThatNeitherRunsNorHasCheckpointsIsAnError() {
    // given
    Map<String, List<String>> active = Map.of(FEAT, List.of("RED"));

    // when / then
    assertThatThrownBy(() -> resolve("rollback to before DoD", oneSession, active))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessageContaining("Cannot tell when phase 'DoD' began in session feat")
        .hasMessageContaining("active: RED")
        .hasMessageContaining("phases with checkpoints: DoR, RED, GREEN, REFACTOR");
  }

  @Test
  void beforeARunningPhaseWithoutCheckpointsIsAnError() {
    // given
    Map<String, List<Checkpoint>> empty = Map.of(FEAT, List.of());

    // when / then
    assertThatThrownBy(() -> resolve("rollback to before RED", empty, Map.of(FEAT, List.of("red"))))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessageContaining("Phase 'RED' is running in session feat");
  }

  @Test
  void lastOfAPhaseWithoutCheckpointsNamesThePhaseAndThePhasesThereAre() {
    // when / then
    assertThatThrownBy(() -> resolve("rollback to last DoD", oneSession, null))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessage("No checkpoint of phase 'DoD' in session feat to roll back to;"
            + " phases with checkpoints: DoR, RED, GREEN, REFACTOR.")
        .satisfies(e -> assertThat(((NoMatchingCheckpointException) e).target())
            .isEqualTo(new Target.LastOfPhase("DoD")));
  }

  @Test
  void lastPassingWithoutPassingCheckpointsExplainsWhatPasses() {
    // given
    Map<String, List<Checkpoint>> sessions = Map.of(FEAT, List.of(
        checkpoint(FEAT, "red-1", CheckpointType.PHASE_END, "RED", Map.of("tests_failing", 2)),
        checkpoint(FEAT, "green-1", CheckpointType.PHASE_END, "GREEN", Map.of("gate_passed", false))));

    // when / then
    assertThatThrownBy(() -> resolve("rollback to last passing", sessions, null))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessageContaining("No passing checkpoint in session feat")
        .hasMessageContaining("tests_failing = 0, passing = true, gate_passed = true, or tests_passing > 0");
  }

  @Test
  void latestOfASessionWithOnlyPreRollbackCheckpointsIsAnError() {
    // given
    Map<String, List<Checkpoint>> sessions = Map.of(FEAT, List.of(
        checkpoint(FEAT, "pre-rollback-1", CheckpointType.PRE_ROLLBACK, null, Map.of())));

    // when / then
    assertThatThrownBy(() -> resolve("rollback to latest", sessions, null))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessageContaining("Session feat has no checkpoint to roll back to")
        .hasMessageContaining("only PRE_ROLLBACK checkpoints (pre-rollback-1)");
  }

  @Test
  void latestOfAnEmptySessionIsAnError() {
    assertThatThrownBy(() -> resolve("rollback to latest", Map.of(FEAT, List.of()), null))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessage("Session feat has no checkpoint to roll back to.");
  }

  @Test
  void infersTheOnlySessionHoldingAnExactId() {
    // given
    Map<String, List<Checkpoint>> sessions = twoSessions();

    // when
    Resolution resolution = resolve("rollback to red-2", sessions, null);

    // then
    assertThat(resolution.sessionId()).isEqualTo(FEAT);
    assertThat(resolution.checkpoint().checkpointId()).isEqualTo("red-2");
  }

  @Test
  void refusesAnExactIdHeldBySeveralSessionsListingThem() {
    // given
    Map<String, List<Checkpoint>> sessions = twoSessions();

    // when / then
    assertThatThrownBy(() -> resolve("rollback to dor-1", sessions, null))
        .isInstanceOf(AmbiguousTargetException.class)
        .hasMessage("Checkpoint 'dor-1' exists in 2 sessions: bugfix, feat. Add 'session <id>' to say which,"
            + " e.g. 'rollback to checkpoint dor-1 session bugfix'.")
        .satisfies(e -> assertThat(((AmbiguousTargetException) e).candidates()).containsExactly("bugfix", "feat"));
  }

  @Test
  void infersTheOnlySessionForAMeaningBasedTarget() {
    // when
    Resolution resolution = resolve("rollback to last green", oneSession, null);

    // then
    assertThat(resolution.sessionId()).isEqualTo(FEAT);
    assertThat(resolution.checkpoint().checkpointId()).isEqualTo("green-1");
  }

  @Test
  void refusesAMeaningBasedTargetWithoutSessionWhenSeveralSessionsExist() {
    // given
    Map<String, List<Checkpoint>> sessions = twoSessions();

    // when / then
    assertThatThrownBy(() -> resolve("rollback to last green", sessions, null))
        .isInstanceOf(AmbiguousTargetException.class)
        .hasMessageContaining("Cannot tell which session 'last green' means: 2 sessions exist (bugfix, feat)")
        .hasMessageContaining("Add 'session <id>'")
        .hasMessageContaining("'rollback to last green session bugfix'");
  }

  @Test
  void refusesAMeaningBasedTargetWhenThereAreNoSessions() {
    assertThatThrownBy(() -> resolve("rollback to latest", Map.of(), null))
        .isInstanceOf(NoMatchingCheckpointException.class)
        .hasMessageContaining("No sessions exist");
  }

  @Test
  void refusesANamedSessionThatDoesNotExist() {
    assertThatThrownBy(() -> resolve("rollback to dor-1 session nope", oneSession, null))
        .isInstanceOf(SessionNotFoundException.class)
        .hasMessageContaining("Unknown session 'nope'");
  }

  @Test
  void suggestsTheClosestIdForAnUnknownIdInASession() {
    // when / then
    assertThatThrownBy(() -> resolve("rollback to dor-2 session feat", oneSession, null))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessage("Invalid checkpoint: dor-2 not found in session feat. Available: start, dor-1, red-1, green-1,"
            + " refactor-1, red-2, pre-rollback-1. Did you mean 'dor-1'?")
        .satisfies(e -> {
          CheckpointNotFoundException unknown = (CheckpointNotFoundException) e;
          assertThat(unknown.checkpointId()).isEqualTo("dor-2");
          assertThat(unknown.sessionId()).isEqualTo(FEAT);
          assertThat(unknown.suggestion()).contains("dor-1");
        });
  }

  @ParameterizedTest
  @CsvSource({"GREEN-1, green-1", "refactr-1, refactor-1", "pre-rolback-1, pre-rollback-1", "red-3, red-2"})
  void suggestsIdsThatAreATypoAway(String typed, String suggested) {
    assertThatThrownBy(() -> resolve("rollback feat to " + typed, oneSession, null))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessageStartingWith("Invalid checkpoint: " + typed + " not found in session feat. Available: ")
        .hasMessageEndingWith("Did you mean '" + suggested + "'?");
  }

  @ParameterizedTest
  @CsvSource({"implementation-7", "xyz", "dod-checkpoint"})
  void suggestsNothingWhenNoIdIsClose(String typed) {
    assertThatThrownBy(() -> resolve("rollback feat to " + typed, oneSession, null))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessageEndingWith("pre-rollback-1.")
        .hasMessageNotContaining("Did you mean");
  }

  @Test
  void saysWhenTheSessionHasNoCheckpointsAtAll() {
    assertThatThrownBy(() -> resolve("rollback feat to dor-1", Map.of(FEAT, List.of()), null))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessage("Invalid checkpoint: dor-1 not found in session feat (the session has no checkpoints).");
  }

  @Test
  void searchesEverySessionForAnUnknownIdWithoutSession() {
    // when / then
    assertThatThrownBy(() -> resolve("rollback to refactor-2", twoSessions(), null))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessageStartingWith("Invalid checkpoint: refactor-2 not found in any session (searched bugfix, feat).")
        .hasMessageContaining("Did you mean 'refactor-1' (session feat)?");
  }

  @Test
  void saysThereAreNoSessionsForAnExactIdWhenThereAreNone() {
    assertThatThrownBy(() -> resolve("rollback to dor-1", Map.of(), null))
        .isInstanceOf(CheckpointNotFoundException.class)
        .hasMessageStartingWith("Invalid checkpoint: dor-1 not found: there are no sessions yet.");
  }

  @Test
  void showsOnlyTheNewestIdsOfALongSession() {
    // given
    List<Checkpoint> many = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      many.add(checkpoint(FEAT, "auto-" + i, CheckpointType.AUTO_PERIODIC, "GREEN", Map.of()));
    }

    // when / then
    assertThatThrownBy(() -> resolve("rollback feat to zzz", Map.of(FEAT, many), null))
        .hasMessageContaining("Available: … 10 older, auto-11, auto-12")
        .hasMessageContaining("auto-30.");
  }

  @Test
  void refusesToResolveAnInvalidCommand() {
    // given
    ParsedCommand invalid = parser.parse("rollback to dor-1 please");

    // when / then
    assertThatThrownBy(() -> resolver.resolve(invalid, oneSession, null))
        .isInstanceOf(InvalidRollbackCommandException.class)
        .hasMessage(invalid.error());
  }

  private Resolution resolve(String text, Map<String, List<Checkpoint>> sessions, Map<String, List<String>> active) {
    ParsedCommand command = parser.parse(text);
    assertThat(command.valid()).as(command.error()).isTrue();
    return resolver.resolve(command, sessions, active);
  }

  private Map<String, List<Checkpoint>> twoSessions() {
    Map<String, List<Checkpoint>> sessions = new LinkedHashMap<>();
    sessions.put(FEAT, feat);
    sessions.put("bugfix", List.of(
        checkpoint("bugfix", "start", CheckpointType.SESSION_START, null, Map.of()),
        checkpoint("bugfix", "dor-1", CheckpointType.PHASE_END, "DoR", Map.of())));
    return sessions;
  }

  private static Checkpoint checkpoint(String session, String id, CheckpointType type, String phase,
                                       Map<String, Object> metrics) {
    return new Checkpoint(session, id, 0, type, phase, "process-1", null, "b".repeat(40), "a".repeat(40), "main",
        Instant.parse("2025-01-01T00:00:00Z"), metrics, List.of(), null);
  }
}
