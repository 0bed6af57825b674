package io.cortex.config;

/** What a phase gate's command must do for the gate to pass ({@code expect} of a gate). */
public enum GateExpectation {
  /** The command must succeed: exit code 0 (tests must pass, e.g. GREEN, REFACTOR). */
  PASS,
  /** The command must fail: any exit code but 0 (a new test must fail first, e.g. RED). */
  FAIL;

  /**
   * Whether a command that finished with {@code exitCode} meets this expectation. A command that
   * did not finish (timed out) meets none; callers check that first.
   */
  public boolean isMetBy(int exitCode) {
    return this == PASS ? exitCode == 0 : exitCode != 0;
  }
}
