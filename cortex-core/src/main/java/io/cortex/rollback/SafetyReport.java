package io.cortex.rollback;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The seed's safety check result {@code {safe, warning, details}}, with the refusals behind it.
 *
 * @param warning the refusals' first lines, or {@code null} when safe
 * @param details every refusal's full message, or {@code null} when safe
 */
public record SafetyReport(boolean safe, String warning, String details, List<Refusal> refusals) {

  public static SafetyReport of(List<Refusal> refusals) {
    if (refusals.isEmpty()) {
      return new SafetyReport(true, null, null, List.of());
    }
    return new SafetyReport(false,
        refusals.stream().map(Refusal::headline).collect(Collectors.joining("; ")),
        refusals.stream().map(Refusal::message).collect(Collectors.joining("\n")),
        List.copyOf(refusals));
  }

  /** Whether {@code force} lets the rollback proceed. */
  public boolean allowsForce() {
    return refusals.stream().allMatch(Refusal::bypassable);
  }
}
