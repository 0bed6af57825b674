package io.cortex.rollback.command;

import java.util.Map;

/**
 * Whether a checkpoint's metrics say the tests passed: {@code tests_failing} is 0, or
 * {@code passing} or {@code gate_passed} is true, or {@code tests_passing} is above 0 and there is
 * no {@code tests_failing}. {@code tests_failing} above 0, or {@code passing} or
 * {@code gate_passed} false, rule a checkpoint out whatever else it says.
 */
final class PassingMetrics {

  static final String RULE = "tests_failing = 0, passing = true, gate_passed = true, or tests_passing > 0 without"
      + " tests_failing (tests_failing > 0, passing = false or gate_passed = false never pass)";

  private PassingMetrics() {
  }

  static boolean passed(Map<String, Object> metrics) {
    Object failing = metrics.get("tests_failing");
    Object passing = metrics.get("passing");
    Object gatePassed = metrics.get("gate_passed");
    if (failing instanceof Number n && n.doubleValue() > 0
        || Boolean.FALSE.equals(passing) || Boolean.FALSE.equals(gatePassed)) {
      return false;
    }
    if (failing instanceof Number n && n.doubleValue() == 0
        || Boolean.TRUE.equals(passing) || Boolean.TRUE.equals(gatePassed)) {
      return true;
    }
    return failing == null && metrics.get("tests_passing") instanceof Number n && n.doubleValue() > 0;
  }
}
