package io.cortex.rollback.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParsedCommandTest {

  private final RollbackCommandParser parser = new RollbackCommandParser();

  @ParameterizedTest
  @CsvSource({
      "rollback to dor-1,         false, false, false, false, false, false",
      "rollback to dor-1,         true,  false, false, false, true,  false",
      "rollback to dor-1,         false, true,  false, false, false, true",
      "rollback to dor-1 dry run, false, false, true,  false, true,  false",
      "rollback to dor-1 dry run, false, true,  true,  false, true,  true",
      "rollback to dor-1 force,   true,  false, false, true,  true,  true"})
  void withFlagsOrsCliOptionsIntoTheFlagsOfTheText(String text, boolean optionDryRun, boolean optionForce,
                                                   boolean textDryRun, boolean textForce,
                                                   boolean dryRun, boolean force) {
    // given
    ParsedCommand command = parser.parse(text);
    assertThat(command.flags()).isEqualTo(new Flags(textDryRun, textForce));

    // when
    ParsedCommand combined = command.withFlags(new Flags(optionDryRun, optionForce));

    // then
    assertThat(combined.flags()).isEqualTo(new Flags(dryRun, force));
    assertThat(combined.target()).isEqualTo(command.target());
    assertThat(combined.toSeedMap().get("flags")).isEqualTo(Map.of("dry_run", dryRun, "force", force));
  }

  @Test
  void withFlagsOfNullChangesNothing() {
    // given
    ParsedCommand command = parser.parse("rollback to dor-1 force");

    // when
    ParsedCommand same = command.withFlags(null);

    // then
    assertThat(same).isEqualTo(command);
  }

  @Test
  void givesNoCheckpointIdInTheSeedShapeForAMeaningBasedTarget() {
    // when
    Map<String, Object> seed = parser.parse("rollback session feat to last green preview").toSeedMap();

    // then
    assertThat(seed).containsEntry("valid", true).containsEntry("checkpoint_id", null)
        .containsEntry("session_id", "feat").containsEntry("flags", Map.of("dry_run", true, "force", false))
        .containsEntry("error", null);
  }

  @Test
  void refusesAValidCommandWhoseCheckpointIdDisagreesWithItsTarget() {
    assertThatThrownBy(() -> new ParsedCommand(true, "a", null, Flags.none(), null, new Target.Exact("b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ParsedCommand(true, "a", null, Flags.none(), null, new Target.Latest()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnInvalidCommandWithoutAnErrorOrWithATarget() {
    assertThatThrownBy(() -> new ParsedCommand(false, null, null, Flags.none(), null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ParsedCommand(false, null, null, Flags.none(), "bad", new Target.Latest()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesTargetsTheWayTheCommandSaysThem() {
    assertThat(new Target.Exact("dor-1").describe()).isEqualTo("dor-1");
    assertThat(new Target.LastOfPhase("GREEN").describe()).isEqualTo("last GREEN");
    assertThat(new Target.BeforePhase("REFACTOR").describe()).isEqualTo("before REFACTOR");
    assertThat(new Target.LastPassing().describe()).isEqualTo("last passing");
    assertThat(new Target.Latest().describe()).isEqualTo("latest");
  }
}
