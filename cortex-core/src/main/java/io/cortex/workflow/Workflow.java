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
