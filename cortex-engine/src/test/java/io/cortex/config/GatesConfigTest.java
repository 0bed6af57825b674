package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cortex.base.PhaseProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GatesConfigTest {

  private static final String SOURCE = "test.yaml";
  private static final String TDD_GATES = """
      gates:
        timeoutMs: 120000
        outputLimitBytes: 1024
        workflows:
          cortex-tdd:
            RED:      { command: "mvn -q test", expect: FAIL }
            GREEN:    { command: "mvn -q test", expect: pass, timeoutMs: 300000 }
            REFACTOR: { command: "mvn -q test" }
          cortex-docs:
            review:
              command: ./check-links.sh
      """;

  private static GatesConfig gatesOf(String yaml) {
    return ConfigLoader.parse(yaml, SOURCE).gates();
  }

  private static ConfigException problemsIn(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE));
  }

  @Nested
  class Defaults {

    @Test
    void defaultHasNoGatesATenMinuteLimitAnd4096BytesOfOutput() {
      // when
      GatesConfig gates = GatesConfig.defaults();

      // then
      assertThat(gates.timeoutMs()).isEqualTo(600_000L);
      assertThat(gates.outputLimitBytes()).isEqualTo(4_096);
      assertThat(gates.workflows()).isEmpty();
      assertThat(gates.gateFor("cortex-tdd", "GREEN")).isEmpty();
    }

    @Test
    void emptySectionAndEmptyWorkflowsYieldTheDefaults() {
      // when / then
      assertThat(gatesOf("gates:\n")).isEqualTo(GatesConfig.defaults());
      assertThat(gatesOf("gates:\n  workflows:\n")).isEqualTo(GatesConfig.defaults());
      assertThat(gatesOf("gates:\n  workflows: {}\n")).isEqualTo(GatesConfig.defaults());
    }
  }

  @Nested
  class ValidGates {

    @Test
    void readsTheGatesOfEveryWorkflowAndPhase() {
      // when
      GatesConfig gates = gatesOf(TDD_GATES);

      // then
      assertThat(gates.timeoutMs()).isEqualTo(120_000L);
      assertThat(gates.outputLimitBytes()).isEqualTo(1_024);
      assertThat(gates.workflows()).containsOnlyKeys("cortex-tdd", "cortex-docs");
      assertThat(gates.workflows().get("cortex-tdd")).containsExactly(
          Map.entry("RED", new GateConfig("mvn -q test", GateExpectation.FAIL, 120_000L)),
          Map.entry("GREEN", new GateConfig("mvn -q test", GateExpectation.PASS, 300_000L)),
          Map.entry("REFACTOR", new GateConfig("mvn -q test", GateExpectation.PASS, 120_000L)));
      assertThat(gates.workflows().get("cortex-docs"))
          .containsExactly(Map.entry("review",
              new GateConfig("./check-links.sh", GateExpectation.PASS, 120_000L)));
    }

    @Test
    void gateWithoutExpectMustPass() {
      // when
      GatesConfig gates = gatesOf("gates:\n  workflows:\n    p:\n      GREEN: {command: make}\n");

      // then
      assertThat(gates.gateFor("p", "GREEN")).hasValueSatisfying(
          gate -> assertThat(gate.expect()).isEqualTo(GateExpectation.PASS));
    }

    @Test
    void gateWithoutTimeoutTakesTheDefaultLimitOfTheSection() {
      // when
      GatesConfig gates = gatesOf("gates:\n  workflows:\n    p:\n      GREEN: {command: make}\n");

      // then
      assertThat(gates.gateFor("p", "GREEN").orElseThrow().timeoutMs())
          .isEqualTo(GatesConfig.DEFAULT_TIMEOUT_MS);
    }

    @Test
    void readsExpectInAnyCase() {
      // when
      GatesConfig gates = gatesOf(
          "gates:\n  workflows:\n    p:\n      RED: {command: make, expect: Fail}\n");

      // then
      assertThat(gates.gateFor("p", "RED").orElseThrow().expect())
          .isEqualTo(GateExpectation.FAIL);
    }

    @Test
    void stripsTheCommandOfABlockScalar() {
      // given
      String yaml = """
          gates:
            workflows:
              p:
                GREEN:
                  command: |
                    mvn -q test
          """;

      // when / then
      assertThat(gatesOf(yaml).gateFor("p", "GREEN").orElseThrow().command())
          .isEqualTo("mvn -q test");
    }

    @Test
    void acceptsTheSmallestLimits() {
      // when
      GatesConfig gates = gatesOf("gates:\n  timeoutMs: 1000\n  outputLimitBytes: 256\n");

      // then
      assertThat(gates.timeoutMs()).isEqualTo(1_000L);
      assertThat(gates.outputLimitBytes()).isEqualTo(256);
    }

    @Test
    void workflowWithoutGatesIsEmpty() {
      // when
      GatesConfig gates = gatesOf("gates:\n  workflows:\n    cortex-tdd:\n");

      // then
      assertThat(gates.workflows()).containsExactly(Map.entry("cortex-tdd", Map.of()));
      assertThat(gates.gateFor("cortex-tdd", "RED")).isEmpty();
    }
  }

  @Nested
  class GateLookup {

    private final GatesConfig gates = gatesOf(TDD_GATES);

    @Test
    void findsThePhaseInAnyCase() {
      // when / then
      assertThat(gates.gateFor("cortex-tdd", "green")).map(GateConfig::timeoutMs)
          .contains(300_000L);
      assertThat(gates.gateFor("cortex-tdd", "Red")).map(GateConfig::expect)
          .contains(GateExpectation.FAIL);
      assertThat(gates.gateFor("cortex-docs", "REVIEW")).map(GateConfig::command)
          .contains("./check-links.sh");
    }

    @Test
    void matchesTheProcessKeyExactly() {
      // when / then
      assertThat(gates.gateFor("CORTEX-TDD", "GREEN")).isEmpty();
    }

    @Test
    void findsNothingForAnUnknownProcessOrPhaseOrNulls() {
      // when / then
      assertThat(gates.gateFor("cortex-other", "GREEN")).isEmpty();
      assertThat(gates.gateFor("cortex-tdd", "BLUE")).isEmpty();
      assertThat(gates.gateFor(null, "GREEN")).isEmpty();
      assertThat(gates.gateFor("cortex-tdd", null)).isEmpty();
    }
  }

  @Nested
  class InvalidGates {

    @Test
    void reportsEveryBadGateValueWithItsFullKeyPath() {
      // given
      String yaml = """
          gates:
            workflows:
              cortex-tdd:
                RED: { command: "  ", expect: FAIL }
                GREEN: { command: mvn test, expect: SUCCEED, timeoutMs: 999 }
                REFACTOR: { expect: PASS }
                DOCS: { command: 42 }
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "gates.workflows.cortex-tdd.RED.command: expected a non-blank shell command, got '  '",
          "gates.workflows.cortex-tdd.GREEN.expect: expected one of PASS, FAIL, got 'SUCCEED'",
          "gates.workflows.cortex-tdd.GREEN.timeoutMs: expected an integer >= 1000, got 999",
          "gates.workflows.cortex-tdd.REFACTOR.command: expected a non-blank shell command,"
              + " got nothing",
          "gates.workflows.cortex-tdd.DOCS.command: expected a non-blank shell command, got 42"
              + " (put it in quotes to use it as text)");
    }

    @Test
    void reportsOutOfRangeSectionLimits() {
      // given
      String yaml = "gates:\n  timeoutMs: 500\n  outputLimitBytes: 255\n";

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "gates.timeoutMs: expected an integer >= 1000, got 500",
          "gates.outputLimitBytes: expected an integer >= 256, got 255");
    }

    @Test
    void reportsPhaseNamesThatBreakThePhaseRule() {
      // given
      String yaml = """
          gates:
            workflows:
              cortex-tdd:
                "RE D": { command: make }
                -red: { command: make }
                7: { command: make }
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      String expected = "expected a phase name (" + PhaseProperty.RULE + ")";
      assertThat(e.problems()).containsExactly(
          "gates.workflows.cortex-tdd.RE D: " + expected + ", got 'RE D'",
          "gates.workflows.cortex-tdd.-red: " + expected + ", got '-red'",
          "gates.workflows.cortex-tdd.7: " + expected + ", got 7"
              + " (put it in quotes to use it as text)");
    }

    @Test
    void reportsAPhaseConfiguredTwiceInDifferentCase() {
      // given
      String yaml = """
          gates:
            workflows:
              cortex-tdd:
                GREEN: { command: make }
                green: { command: make test }
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly("gates.workflows.cortex-tdd.green: the phase"
          + " 'GREEN' has a gate already (phase names ignore case)");
    }

    @Test
    void reportsBlankAndNonTextProcessKeys() {
      // given
      String yaml = """
          gates:
            workflows:
              "": { GREEN: { command: make } }
              12: { GREEN: { command: make } }
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "gates.workflows: expected a process definition key (non-blank text), got ''",
          "gates.workflows.12: expected a process definition key (non-blank text), got 12"
              + " (put it in quotes to use it as text)");
    }

    @Test
    void reportsAGateOrWorkflowThatIsNotAMapping() {
      // given
      String yaml = """
          gates:
            workflows:
              cortex-tdd:
                GREEN: mvn test
              cortex-docs: [review]
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "gates.workflows.cortex-tdd.GREEN: expected a mapping (key: value pairs), got"
              + " 'mvn test'",
          "gates.workflows.cortex-tdd.GREEN.command: expected a non-blank shell command,"
              + " got nothing",
          "gates.workflows.cortex-docs: expected a mapping (key: value pairs), got a list");
    }

    @Test
    void suggestsTheIntendedKeyInsideAGateAndTheSection() {
      // given
      String yaml = """
          gates:
            timeout: 1000
            workflow: {}
            workflows:
              cortex-tdd:
                GREEN: { command: make, timeout: 5000, expects: PASS }
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "gates.timeout: unknown key (did you mean 'timeoutMs'?)",
          "gates.workflow: unknown key (did you mean 'workflows'?)",
          "gates.workflows.cortex-tdd.GREEN.timeout: unknown key (did you mean 'timeoutMs'?)",
          "gates.workflows.cortex-tdd.GREEN.expects: unknown key (did you mean 'expect'?)");
    }

    @Test
    void reportsProblemsOfAllGatesTogetherWithOtherSections() {
      // given
      String yaml = """
          server:
            port: 0
          gates:
            workflows:
              a: { RED: { expect: maybe, command: x } }
              b: { GREEN: { command: y, timeoutMs: fast } }
          """;

      // when
      ConfigException e = problemsIn(yaml);

      // then
      assertThat(e.problems()).containsExactly(
          "gates.workflows.a.RED.expect: expected one of PASS, FAIL, got 'maybe'",
          "gates.workflows.b.GREEN.timeoutMs: expected an integer >= 1000, got 'fast'",
          "server.port: expected an integer between 1 and 65535, got 0");
      assertThat(e).hasMessageStartingWith("Invalid configuration in test.yaml (3 problems):");
    }
  }

  @Nested
  class Records {

    @Test
    void gateRefusesABlankCommandAShortLimitAndNoExpectation() {
      // when / then
      assertThatThrownBy(() -> new GateConfig(" ", GateExpectation.PASS, 1_000L))
          .isInstanceOf(ConfigException.class)
          .hasMessage("Invalid configuration value: gates.workflows.<process>.<phase>.command:"
              + " expected a non-blank shell command, got ' '");
      assertThatThrownBy(() -> new GateConfig(null, GateExpectation.PASS, 1_000L))
          .hasMessageContaining("got nothing");
      assertThatThrownBy(() -> new GateConfig("make", GateExpectation.PASS, 999L))
          .hasMessageContaining("gates.workflows.<process>.<phase>.timeoutMs");
      assertThatThrownBy(() -> new GateConfig("make", null, 1_000L))
          .isInstanceOf(NullPointerException.class);
    }

    @Test
    void gatesRefuseOutOfRangeLimits() {
      // when / then
      assertThatThrownBy(() -> new GatesConfig(999L, 4_096, Map.of()))
          .hasMessageContaining("gates.timeoutMs");
      assertThatThrownBy(() -> new GatesConfig(1_000L, 255, Map.of()))
          .hasMessageContaining("gates.outputLimitBytes");
    }

    @Test
    void gatesRefuseBadKeysNamingTheirPath() {
      // given
      GateConfig gate = new GateConfig("make", GateExpectation.PASS, 1_000L);

      // when / then
      assertThatThrownBy(() -> new GatesConfig(1_000L, 256, Map.of(" ", Map.of("RED", gate))))
          .hasMessageContaining("gates.workflows: expected a process definition key");
      assertThatThrownBy(() -> new GatesConfig(1_000L, 256, Map.of("p", Map.of("R D", gate))))
          .hasMessageContaining("gates.workflows.p.R D: expected a phase name");
      Map<String, GateConfig> twice = new LinkedHashMap<>();
      twice.put("RED", gate);
      twice.put("red", gate);
      assertThatThrownBy(() -> new GatesConfig(1_000L, 256, Map.of("p", twice)))
          .hasMessageContaining("gates.workflows.p.red: the phase 'RED' has a gate already");
    }

    @Test
    void gatesAreACopyThatCannotBeModified() {
      // given
      Map<String, GateConfig> phases = new LinkedHashMap<>();
      phases.put("RED", new GateConfig("make", GateExpectation.FAIL, 1_000L));
      Map<String, Map<String, GateConfig>> workflows = new LinkedHashMap<>();
      workflows.put("p", phases);

      // when
      GatesConfig gates = new GatesConfig(1_000L, 256, workflows);
      phases.clear();
      workflows.clear();

      // then
      assertThat(gates.gateFor("p", "red")).isPresent();
      assertThatThrownBy(() -> gates.workflows().clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> gates.workflows().get("p").clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void expectationIsMetByTheMatchingExitCodes() {
      // when / then
      assertThat(GateExpectation.PASS.isMetBy(0)).isTrue();
      assertThat(GateExpectation.PASS.isMetBy(1)).isFalse();
      assertThat(GateExpectation.FAIL.isMetBy(0)).isFalse();
      assertThat(GateExpectation.FAIL.isMetBy(1)).isTrue();
      assertThat(GateExpectation.FAIL.isMetBy(137)).isTrue();
    }
  }
}
