package io.cortex.rollback.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.cortex.checkpoint.Ids;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RollbackCommandParserTest {

  private final RollbackCommandParser parser = new RollbackCommandParser();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rollback to checkpoint dor-checkpoint session feature-auth-001 | dor-checkpoint | feature-auth-001",
      "rollback session feature-auth-001 to dor-checkpoint             | dor-checkpoint | feature-auth-001",
      "rollback dor-checkpoint                                          | dor-checkpoint |"})
  void givesTheSeedResultShapeForTheSeedExamples(String text, String checkpointId, String sessionId) {
    // given
    Map<String, Object> noFlags = Map.of("dry_run", false, "force", false);

    // when
    Map<String, Object> seed = parser.parse(text).toSeedMap();

    // then
    assertThat(seed).containsExactly(entry("valid", true), entry("checkpoint_id", checkpointId),
        entry("session_id", sessionId), entry("flags", noFlags), entry("error", null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rollback to checkpoint dor-1 session feat           | dor-1 | feat",
      "rollback to checkpoint dor-1 in session feat        | dor-1 | feat",
      "rollback to dor-1 session feat                      | dor-1 | feat",
      "rollback to dor-1 in session feat                   | dor-1 | feat",
      "rollback session feat to dor-1                      | dor-1 | feat",
      "rollback session feat to checkpoint dor-1           | dor-1 | feat",
      "rollback in session feat to dor-1                   | dor-1 | feat",
      "rollback feat to dor-1                              | dor-1 | feat",
      "rollback feat to checkpoint dor-1                   | dor-1 | feat",
      "rollback dor-1 session feat                         | dor-1 | feat",
      "rollback dor-1                                      | dor-1 |",
      "rollback to dor-1                                   | dor-1 |",
      "rollback to checkpoint dor-1                        | dor-1 |",
      "roll back to checkpoint dor-1 session feat          | dor-1 | feat",
      "roll back dor-1                                     | dor-1 |",
      "'  rollback   to\tdor-1  session   feat  '          | dor-1 | feat"})
  void readsEveryFormOfAnExactTarget(String text, String checkpointId, String sessionId) {
    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.valid()).as(command.error()).isTrue();
    assertThat(command.error()).isNull();
    assertThat(command.checkpointId()).isEqualTo(checkpointId);
    assertThat(command.sessionId()).isEqualTo(sessionId);
    assertThat(command.target()).isEqualTo(new Target.Exact(checkpointId));
    assertThat(command.flags()).isEqualTo(Flags.none());
  }

  static Stream<Arguments> meaningBasedTargets() {
    return Stream.of(
        Arguments.of("rollback to last green", new Target.LastOfPhase("green"), null),
        Arguments.of("rollback last DoR", new Target.LastOfPhase("DoR"), null),
        Arguments.of("rollback to checkpoint last GREEN session feat", new Target.LastOfPhase("GREEN"), "feat"),
        Arguments.of("rollback feat to last green", new Target.LastOfPhase("green"), "feat"),
        Arguments.of("rollback before REFACTOR", new Target.BeforePhase("REFACTOR"), null),
        Arguments.of("rollback session feat to before REFACTOR", new Target.BeforePhase("REFACTOR"), "feat"),
        Arguments.of("rollback to before red in session feat", new Target.BeforePhase("red"), "feat"),
        Arguments.of("rollback to last passing", new Target.LastPassing(), null),
        Arguments.of("rollback LAST PASSING session feat", new Target.LastPassing(), "feat"),
        Arguments.of("rollback last", new Target.Latest(), null),
        Arguments.of("rollback to last session feat", new Target.Latest(), "feat"),
        Arguments.of("rollback latest", new Target.Latest(), null),
        Arguments.of("rollback feat to latest", new Target.Latest(), "feat"),
        Arguments.of("rollback last \"passing\"", new Target.LastOfPhase("passing"), null));
  }

  @ParameterizedTest
  @MethodSource("meaningBasedTargets")
  void readsMeaningBasedTargetsWithoutACheckpointId(String text, Target target, String sessionId) {
    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.valid()).as(command.error()).isTrue();
    assertThat(command.target()).isEqualTo(target);
    assertThat(command.sessionId()).isEqualTo(sessionId);
    assertThat(command.checkpointId()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rollback to dor-1 dry run              | true  | false",
      "rollback dry run to dor-1              | true  | false",
      "rollback to dor-1 dry-run              | true  | false",
      "rollback --dry-run dor-1               | true  | false",
      "rollback to dor-1 dryrun               | true  | false",
      "rollback preview to dor-1              | true  | false",
      "rollback to dor-1 force                | false | true",
      "rollback --force session feat to dor-1 | false | true",
      "rollback forced feat to dor-1          | false | true",
      "rollback feat dry run to dor-1 force   | true  | true",
      "rollback to last DRY RUN --FORCE       | true  | true",
      "rollback to dor-1 force force          | false | true"})
  void readsFlagsAnywhereAfterRollback(String text, boolean dryRun, boolean force) {
    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.valid()).as(command.error()).isTrue();
    assertThat(command.flags()).isEqualTo(new Flags(dryRun, force));
  }

  @Test
  void flagsBetweenALeadingSessionAndToStillMakeItTheSession() {
    // when
    ParsedCommand command = parser.parse("rollback feat --dry-run to dor-1");

    // then
    assertThat(command.sessionId()).isEqualTo("feat");
    assertThat(command.checkpointId()).isEqualTo("dor-1");
    assertThat(command.flags().dryRun()).isTrue();
  }

  @Test
  void matchesKeywordsIgnoringCaseButKeepsTheCaseOfIds() {
    // when
    ParsedCommand command = parser.parse("ROLLBACK To CheckPoint Dor-Checkpoint IN SESSION Feature-AUTH-001 FORCE");

    // then
    assertThat(command.valid()).as(command.error()).isTrue();
    assertThat(command.checkpointId()).isEqualTo("Dor-Checkpoint");
    assertThat(command.sessionId()).isEqualTo("Feature-AUTH-001");
    assertThat(command.flags().force()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "rollback to 'dor-1' session \"feat\" | dor-1  | feat",
      "rollback \"feat\" to `dor-1`         | dor-1  | feat",
      "rollback to “dor-1” session ‘feat’   | dor-1  | feat",
      "rollback to \"latest\"               | latest |",
      "rollback \"session\" to \"force\"    | force  | session",
      "rollback 'dry' to 'last'             | last   | dry"})
  void stripsQuotesAroundIdsAndNeverReadsAQuotedWordAsAKeyword(String text, String checkpointId, String sessionId) {
    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.valid()).as(command.error()).isTrue();
    assertThat(command.target()).isEqualTo(new Target.Exact(checkpointId));
    assertThat(command.sessionId()).isEqualTo(sessionId);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t\n"})
  void rejectsAnEmptyCommand(String text) {
    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.valid()).isFalse();
    assertThat(command.error()).startsWith("Empty command").contains("rollback to checkpoint");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      // text | fragments the error must contain, separated by ';;'
      "rollback to dor-1 please | Unexpected word 'please' (word 4) in 'rollback to dor-1 please'; expected ;; 'session <id>'",
      "undo dor-1 | Unexpected word 'undo' (word 1) ;; starts with 'rollback' or 'roll back'",
      "rolback to dor-1 | 'rolback' (word 1) ;; did you mean 'rollback'?",
      "roll forward dor-1 | Unexpected word 'forward' (word 2) ;; expected 'back' after 'roll' (word 1)",
      "roll | Missing 'back' after 'roll' (word 1)",
      "rollback | Missing target in 'rollback' ;; 'last <phase>'",
      "rollback session feat | Missing target in 'rollback session feat'",
      "rollback dry run | Missing target",
      "rollback session | Missing session id after 'session' (word 2)",
      "rollback session to dor-1 | Missing session id after 'session' (word 2) ;; 'to' (word 3) is a keyword",
      "rollback to dor-1 session --force | Missing session id after 'session' (word 4) ;; '--force' (word 5) is a flag",
      "rollback to | Missing checkpoint after 'to' (word 2)",
      "rollback to checkpoint | Missing checkpoint after 'checkpoint' (word 3)",
      "rollback to checkpoint session feat | 'session' (word 4) is a keyword, not a checkpoint id ;; quote an id",
      "rollback to dor-1 to green-1 | Second target 'green-1' (word 5) ;; already rolls back to 'dor-1' (word 3)",
      "rollback dor-1 last green | Unexpected word 'last' (word 3)",
      "rollback to last green to latest | Second target 'latest' (word 6) ;; 'last green' (word 3)",
      "rollback to dor-1 session a session b | Second session 'b' (word 7) ;; already names session 'a' (word 5)",
      "rollback a to dor-1 session b | Second session 'b' (word 6) ;; session 'a' (word 2)",
      "rollback to ../etc/passwd | Invalid checkpoint id '../etc/passwd' (word 3) ;; starting with a letter or digit",
      "rollback to dor-1 session 'bad id' | Invalid session id 'bad id' (word 5) ;; use 1-100 characters",
      "rollback x.lock to dor-1 | Invalid session id 'x.lock' (word 2)",
      "rollback dry to dor-1 | Incomplete flag 'dry' (word 2) ;; followed by 'run'",
      "rollback to dor-1 --yes | Unknown flag '--yes' (word 4) ;; flags are dry run",
      "rollback to --forse | Unknown flag '--forse' (word 3) ;; did you mean '--force'?",
      "rollback before | Missing phase after 'before' (word 2) ;; 'before REFACTOR'",
      "rollback to before session feat | Missing phase after 'before' (word 3) ;; 'session' (word 4) is a keyword",
      "rollback last 'no spaces' | Invalid phase 'no spaces' (word 3) ;; phase names use",
      "rollback in feat to dor-1 | Unexpected word 'feat' (word 3) after 'in' (word 2) ;; 'in session <id>'",
      "rollback to dor-1 in | Missing 'session <id>' after 'in' (word 4)",
      "rollback to dor-1 sesion feat | Unexpected word 'sesion' (word 4) ;; did you mean 'session'?",
      "rollback to chekpoint dor-1 | Unexpected word 'dor-1' (word 4) ;; 'chekpoint' (word 3) was read as a checkpoint id; did you mean 'checkpoint'?",
      "rollback session feat last green | Unexpected word 'last' (word 4) ;; expected 'to <checkpoint>'",
      "rollback session feat dor-1 | Unexpected word 'dor-1' (word 4) ;; expected 'to <checkpoint>'",
      "rollback rollback dor-1 | Unexpected word 'rollback' (word 2)",
      "roll back to dor-1 please | Unexpected word 'please' (word 5)",
      "rollback to dor-1 session feat now | Unexpected word 'now' (word 6) ;; or the end of the command"})
  void rejectsAnythingOutsideTheGrammarSayingWhyAndWhere(String text, String fragments) {
    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.valid()).isFalse();
    assertThat(command.target()).isNull();
    assertThat(command.checkpointId()).isNull();
    assertThat(command.sessionId()).isNull();
    for (String fragment : fragments.split(";;")) {
      assertThat(command.error()).contains(fragment.strip());
    }
  }

  @Test
  void quotesTheIdRuleForAnInvalidId() {
    // when
    ParsedCommand command = parser.parse("rollback to a..b");

    // then
    assertThat(command.error()).isEqualTo("Invalid checkpoint id 'a..b' (word 3) in 'rollback to a..b': use "
        + Ids.RULE + ".");
  }

  @Test
  void reportsAnInvalidCommandInTheSeedShape() {
    // when
    Map<String, Object> seed = parser.parse("rollback to dor-1 please").toSeedMap();

    // then
    assertThat(seed).containsEntry("valid", false).containsEntry("checkpoint_id", null)
        .containsEntry("session_id", null).containsEntry("flags", Map.of("dry_run", false, "force", false));
    assertThat((String) seed.get("error")).startsWith("Unexpected word 'please' (word 4)");
  }

  @Test
  void shortensAVeryLongCommandInItsError() {
    // given
    String text = "rollback to dor-1 " + "x ".repeat(200);

    // when
    ParsedCommand command = parser.parse(text);

    // then
    assertThat(command.error()).startsWith("Unexpected word 'x' (word 4)").contains("…", " (417 characters)'")
        .hasSizeLessThan(400);
  }
}
