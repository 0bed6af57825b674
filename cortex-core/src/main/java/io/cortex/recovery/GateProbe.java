package io.cortex.recovery;

import io.cortex.config.GateConfig;
import io.cortex.config.GateExpectation;
import io.cortex.gate.GateResult;
import io.cortex.gate.GateRunner;
import java.nio.file.Path;

/**
 * Runs the failed phase's gate on the repository as it is now and counts the runs. Recovery
 * needs a gate that expects success: it looks for the state in which the phase's check passes.
 */
final class GateProbe {

  private final GateRunner runner;
  private final GateConfig gate;
  private final int outputLimitBytes;
  private final Path workTree;
  private int runs;
  private GateResult last;

  GateProbe(GateRunner runner, GateConfig gate, int outputLimitBytes, Path workTree) {
    this.runner = runner;
    this.gate = gate;
    this.outputLimitBytes = outputLimitBytes;
    this.workTree = workTree;
  }

  static boolean usable(GateConfig gate) {
    return gate != null && gate.expect() == GateExpectation.PASS;
  }

  boolean passes() {
    runs++;
    last = runner.run(workTree, gate, outputLimitBytes);
    return last.passed();
  }

  int runs() {
    return runs;
  }

  GateResult last() {
    return last;
  }
}
