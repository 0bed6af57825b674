package io.cortex.config;

import java.util.Objects;

/**
 * The verification command of one phase ({@code gates.workflows.<process>.<phase>}): after the
 * phase's work is done, {@code command} runs in the work tree and must meet {@code expect}
 * within {@code timeoutMs}, or the phase fails ({@code GATE_FAILED}, or {@code TIMEOUT}).
 *
 * <pre>{@code
 * new GateConfig("mvn -q test", GateExpectation.FAIL, 300_000);   // RED: the new test must fail
 * }</pre>
 *
 * @param command shell command ({@code sh -c}), not blank
 * @param expect whether the command must succeed (exit 0) or fail (any other exit code)
 * @param timeoutMs time limit of the command, at least {@value GatesConfig#MIN_TIMEOUT_MS} ms;
 *     when the file leaves it out, {@code gates.timeoutMs}
 */
public record GateConfig(String command, GateExpectation expect, long timeoutMs) {

  /** Key path of a gate in problems about values handed to this record directly. */
  static final String PATH = "gates.workflows.<process>.<phase>";
  public static final GateExpectation DEFAULT_EXPECT = GateExpectation.PASS;
  static final String COMMAND_RULE = "a non-blank shell command";

  public GateConfig {
    if (command == null || command.isBlank()) {
      throw ConfigException.invalidValue(PATH + ".command: expected " + COMMAND_RULE + ", got "
          + YamlValues.describe(command));
    }
    Objects.requireNonNull(expect, "expect");
    Ranges.requireInteger(
        PATH + ".timeoutMs", timeoutMs, GatesConfig.MIN_TIMEOUT_MS, Long.MAX_VALUE);
  }
}
