package io.cortex.rollback.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PassingMetricsTest {

  static Stream<Arguments> metrics() {
    Map<String, Object> nullFailing = new HashMap<>();
    nullFailing.put("tests_failing", null);
    nullFailing.put("tests_passing", 3);
    return Stream.of(
        Arguments.of(Map.of("tests_failing", 0), true),
        Arguments.of(Map.of("tests_failing", 0L, "tests_passing", 40), true),
        Arguments.of(Map.of("tests_failing", 0.0), true),
        Arguments.of(Map.of("passing", true), true),
        Arguments.of(Map.of("gate_passed", true), true),
        Arguments.of(Map.of("tests_passing", 12), true),
        Arguments.of(nullFailing, true),
        Arguments.of(Map.of(), false),
        Arguments.of(Map.of("tests_failing", 2), false),
        Arguments.of(Map.of("tests_failing", 2, "passing", true), false),
        Arguments.of(Map.of("tests_failing", 0, "passing", false), false),
        Arguments.of(Map.of("tests_failing", 0, "gate_passed", false), false),
        Arguments.of(Map.of("passing", true, "gate_passed", false), false),
        Arguments.of(Map.of("tests_passing", 12, "tests_failing", 1), false),
        Arguments.of(Map.of("tests_passing", 12, "tests_failing", "none"), false),
        Arguments.of(Map.of("tests_passing", 0), false),
        Arguments.of(Map.of("tests_failing", "0"), false),
        Arguments.of(Map.of("passing", "true"), false));
  }

  @ParameterizedTest
  @MethodSource("metrics")
  void countsOnlyMetricsThatSayTheTestsPassed(Map<String, Object> metrics, boolean passed) {
    // when
    boolean result = PassingMetrics.passed(metrics);

    // then
    assertThat(result).isEqualTo(passed);
  }
}
