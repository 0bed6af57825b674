package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryConfigTest {

  private static final String SOURCE = "test.yaml";

  private static RecoveryConfig recoveryOf(String yaml) {
    return ConfigLoader.parse(yaml, SOURCE).recovery();
  }

  private static ConfigException problemsIn(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE));
  }

  @Test
  void defaultHasNoOverridesAndTriesTheNewestCheckpointFirst() {
    // when
    RecoveryConfig recovery = RecoveryConfig.defaults();

    // then
    assertThat(recovery.strategy()).isEqualTo(RecoveryStrategy.IMMEDIATE);
    assertThat(recovery.byProcess()).isEmpty();
    assertThat(recovery.byError()).isEmpty();
    assertThat(recovery.progressiveOrder()).isEqualTo(ProgressiveOrder.NEWEST_FIRST);
    assertThat(recovery.retry()).isEqualTo(RetryConfig.defaults());
  }

  @Test
  void emptyMappingsYieldTheDefaults() {
    // when / then
    assertThat(recoveryOf("recovery:\n  byProcess: {}\n  byError:\n"))
        .isEqualTo(RecoveryConfig.defaults());
  }

  @Test
  void readsStrategiesByProcessAndByErrorInAnyCaseKeepingTheirOrder() {
    // given
    String yaml = """
        recovery:
          byProcess:
            cortex-tdd: progressive
            cortex-docs: Decompose
          byError:
            GATE_FAILED: PROGRESSIVE
            TIMEOUT: immediate
            E2: decompose
          progressiveOrder: bisect
        """;

    // when
    RecoveryConfig recovery = recoveryOf(yaml);

    // then
    assertThat(recovery.byProcess()).containsExactly(
        Map.entry("cortex-tdd", RecoveryStrategy.PROGRESSIVE),
        Map.entry("cortex-docs", RecoveryStrategy.DECOMPOSE));
    assertThat(recovery.byError()).containsExactly(
        Map.entry("GATE_FAILED", RecoveryStrategy.PROGRESSIVE),
        Map.entry("TIMEOUT", RecoveryStrategy.IMMEDIATE),
        Map.entry("E2", RecoveryStrategy.DECOMPOSE));
    assertThat(recovery.progressiveOrder()).isEqualTo(ProgressiveOrder.BISECT);
  }

  @Test
  void readsEveryProgressiveOrder() {
    // when / then
    for (ProgressiveOrder order : ProgressiveOrder.values()) {
      String yaml = "recovery:\n  progressiveOrder: " + order.name().toLowerCase() + "\n";
      assertThat(recoveryOf(yaml).progressiveOrder()).isEqualTo(order);
    }
  }

  @Test
  void reportsBadStrategiesKeysAndOrderWithTheirKeyPaths() {
    // given
    String yaml = """
        recovery:
          byProcess:
            cortex-tdd: FAST
            cortex-docs:
            " ": IMMEDIATE
          byError:
            gate_failed: PROGRESSIVE
            GATE-FAILED: PROGRESSIVE
            1ERROR: IMMEDIATE
            404: IMMEDIATE
            TIMEOUT: [IMMEDIATE]
          progressiveOrder: RANDOM
        """;

    // when
    ConfigException e = problemsIn(yaml);

    // then
    String codeRule = "expected a BPMN error code ([A-Z][A-Z0-9_]*, e.g. GATE_FAILED)";
    assertThat(e.problems()).containsExactly(
        "recovery.byProcess.cortex-tdd: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE,"
            + " got 'FAST'",
        "recovery.byProcess.cortex-docs: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE,"
            + " got nothing",
        "recovery.byProcess: expected a process definition key (non-blank text), got ' '",
        "recovery.byError.gate_failed: " + codeRule + ", got 'gate_failed' (error codes are"
            + " case-sensitive; did you mean 'GATE_FAILED'?)",
        "recovery.byError.GATE-FAILED: " + codeRule + ", got 'GATE-FAILED'",
        "recovery.byError.1ERROR: " + codeRule + ", got '1ERROR'",
        "recovery.byError.404: " + codeRule + ", got 404 (put it in quotes to use it as text)",
        "recovery.byError.TIMEOUT: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE, got a list",
        "recovery.progressiveOrder: expected one of NEWEST_FIRST, OLDEST_FIRST, BISECT,"
            + " got 'RANDOM'");
  }

  @Test
  void reportsMappingsThatAreNotMappingsAndSuggestsKeys() {
    // given
    String yaml = """
        recovery:
          byProcess: PROGRESSIVE
          byErrors: {}
          progressive: BISECT
        """;

    // when
    ConfigException e = problemsIn(yaml);

    // then
    assertThat(e.problems()).containsExactly(
        "recovery.byProcess: expected a mapping (key: value pairs), got 'PROGRESSIVE'",
        "recovery.byErrors: unknown key (did you mean 'byError'?)",
        "recovery.progressive: unknown key (did you mean 'progressiveOrder'?)");
  }

  @Test
  void recordRefusesBadKeysNamingTheMapping() {
    // when / then
    assertThatThrownBy(() -> new RecoveryConfig(RecoveryStrategy.IMMEDIATE, Map.of(),
        Map.of("gate_failed", RecoveryStrategy.IMMEDIATE), ProgressiveOrder.BISECT,
        RetryConfig.defaults()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration value: recovery.byError: expected a BPMN error code"
            + " ([A-Z][A-Z0-9_]*, e.g. GATE_FAILED), got 'gate_failed'");
    assertThatThrownBy(() -> new RecoveryConfig(RecoveryStrategy.IMMEDIATE,
        Map.of("", RecoveryStrategy.IMMEDIATE), Map.of(), ProgressiveOrder.BISECT,
        RetryConfig.defaults()))
        .hasMessageContaining("recovery.byProcess: expected a process definition key");
    assertThatThrownBy(() -> new RecoveryConfig(RecoveryStrategy.IMMEDIATE, Map.of(), Map.of(),
        null, RetryConfig.defaults()))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void recordKeepsACopyThatCannotBeModified() {
    // given
    Map<String, RecoveryStrategy> byProcess = new LinkedHashMap<>();
    byProcess.put("cortex-tdd", RecoveryStrategy.PROGRESSIVE);

    // when
    RecoveryConfig recovery = new RecoveryConfig(RecoveryStrategy.IMMEDIATE, byProcess,
        Map.of(), ProgressiveOrder.NEWEST_FIRST, RetryConfig.defaults());
    byProcess.clear();

    // then
    assertThat(recovery.byProcess()).containsOnlyKeys("cortex-tdd");
    assertThatThrownBy(() -> recovery.byProcess().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
