package io.cortex.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.cortex.config.GateExpectation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateResultTest {

  @Test
  void metricsNameEveryFieldInContractOrder() {
    // given
    GateResult result =
        new GateResult("mvn -q test", GateExpectation.FAIL, 1, false, 1234L, "BUILD FAILURE\n", true);

    // when
    Map<String, Object> metrics = result.toMetrics();

    // then
    assertThat(metrics).containsExactly(
        entry("gate_command", "mvn -q test"),
        entry("gate_expect", "FAIL"),
        entry("gate_exit_code", 1),
        entry("gate_timed_out", false),
        entry("gate_duration_ms", 1234L),
        entry("gate_output", "BUILD FAILURE\n"),
        entry("gate_passed", true));
  }

  @Test
  void metricsCannotBeModified() {
    // given
    Map<String, Object> metrics =
        new GateResult("true", GateExpectation.PASS, 0, false, 5L, "", true).toMetrics();

    // when / then
    assertThatThrownBy(() -> metrics.put("gate_passed", false))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void summarySaysWhatHappened() {
    // when / then
    assertThat(new GateResult("make", GateExpectation.PASS, 2, false, 40L, "", false).summary())
        .isEqualTo("gate 'make' (expect PASS) failed: exit code 2 after 40 ms");
    assertThat(new GateResult("make", GateExpectation.FAIL, -1, true, 1003L, "", false).summary())
        .isEqualTo("gate 'make' (expect FAIL) failed: timed out after 1003 ms");
    assertThat(new GateResult("make", GateExpectation.PASS, 0, false, 7L, "", true).summary())
        .isEqualTo("gate 'make' (expect PASS) passed: exit code 0 after 7 ms");
  }
}
