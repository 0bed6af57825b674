package io.cortex.workflow;

import io.cortex.base.CortexException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The development workflows Cortex ships, by CLI name and BPMN process id. */
public enum Workflow {
  PLANNING("planning", "cortex-planning", List.of("DoR", "Implementation", "DoD")),
  TDD("tdd", "cortex-tdd", List.of("RED", "GREEN", "REFACTOR")),
  SYSTEM_ALIGNMENT("system-alignment", "cortex-system-alignment", List.of("Discovery", "Validation"));

  /** Classpath folder of the shipped BPMN (the top-level {@code processes/} of the project). */
  public static final String RESOURCE_FOLDER = "processes/";

  private final String cliName;
  private final String processKey;
  private final List<String> phases;

  Workflow(String cliName, String processKey, List<String> phases) {
    this.cliName = cliName;
    this.processKey = processKey;
    this.phases = phases;
  }

  public String cliName() {
    return cliName;
  }

  public String processKey() {
    return processKey;
  }

  public List<String> phases() {
    return phases;
  }

  /**
   * The process variables a user may set when completing a phase of this workflow ({@code --var}): TDD's cycle
   * decision and, in every workflow, the recovery strategy. Anything else is a typo the workflow would ignore.
   */
  public List<String> settableVariables() {
    return this == TDD ? List.of(ANOTHER_CYCLE, RECOVERY_STRATEGY) : List.of(RECOVERY_STRATEGY);
  }

  /** TDD's decision after REFACTOR: true for another RED-GREEN-REFACTOR cycle, false to finish the session. */
  public static final String ANOTHER_CYCLE = "anotherCycle";

  /** Overrides the configured recovery strategy for the process instance (docs/recovery.md). */
  public static final String RECOVERY_STRATEGY = "recoveryStrategy";

  /** The phase whose completion decides whether the workflow goes round again, or null. */
  public String cyclePhase() {
    return this == TDD ? "REFACTOR" : null;
  }

  /** The shipped workflow with this process key, if it is one. */
  public static java.util.Optional<Workflow> ofProcessKey(String processKey) {
    return Arrays.stream(values()).filter(w -> w.processKey.equals(processKey)).findFirst();
  }

  public String resource() {
    return RESOURCE_FOLDER + cliName + ".bpmn";
  }

  /** Accepts the CLI name ({@code tdd}) or the process id ({@code cortex-tdd}). */
  public static Workflow fromName(String name) {
    for (Workflow w : values()) {
      if (w.cliName.equalsIgnoreCase(name) || w.processKey.equalsIgnoreCase(name)) {
        return w;
      }
    }
    throw new CortexException("Unknown workflow '" + name + "'; choose one of "
        + Arrays.stream(values()).map(Workflow::cliName).collect(Collectors.joining(", ")));
  }
}
