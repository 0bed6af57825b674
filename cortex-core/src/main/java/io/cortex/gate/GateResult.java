package io.cortex.gate;

import io.cortex.config.GateExpectation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one run of a phase gate's command did.
 *
 * @param command the shell command that ran
 * @param expect what the command had to do (succeed or fail)
 * @param exitCode the command's exit code, {@code -1} when it timed out
 * @param timedOut whether the command was killed for exceeding its time limit
 * @param durationMs wall-clock time from start to exit (or kill), in ms
 * @param output the tail of stdout and stderr merged, starting with
 *     {@link GateRunner#TRUNCATION_MARK} when older output was cut off
 * @param passed whether the gate passed: finished in time and the exit code met {@code expect}
 */
public record GateResult(
    String command,
    GateExpectation expect,
    int exitCode,
    boolean timedOut,
    long durationMs,
    String output,
    boolean passed) {

  public GateResult {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(expect, "expect");
    Objects.requireNonNull(output, "output");
  }

  /**
   * The result as checkpoint metrics, in this order: {@code gate_command}, {@code gate_expect}
   * (name), {@code gate_exit_code}, {@code gate_timed_out}, {@code gate_duration_ms},
   * {@code gate_output}, {@code gate_passed}. Unmodifiable.
   */
  public Map<String, Object> toMetrics() {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("gate_command", command);
    metrics.put("gate_expect", expect.name());
    metrics.put("gate_exit_code", exitCode);
    metrics.put("gate_timed_out", timedOut);
    metrics.put("gate_duration_ms", durationMs);
    metrics.put("gate_output", output);
    metrics.put("gate_passed", passed);
    return Collections.unmodifiableMap(metrics);
  }

  /**
   * One line for logs and error messages, e.g. {@code gate 'mvn -q test' (expect PASS) failed:
   * exit code 1 after 5321 ms}.
   */
  public String summary() {
    String outcome = timedOut
        ? "timed out after " + durationMs + " ms"
        : "exit code " + exitCode + " after " + durationMs + " ms";
    return "gate '" + command + "' (expect " + expect + ") " + (passed ? "passed" : "failed")
        + ": " + outcome;
  }
}
