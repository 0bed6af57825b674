package io.cortex.rollback;

import io.cortex.base.CortexException;

/**
 * A rollback was refused by its safety check; nothing was changed. The message says how to force it in API terms
 * ({@code force}); the CLI and REST say it in theirs from {@link #forceWouldProceed()}.
 */
public class RollbackRefusedException extends CortexException {

  private final transient SafetyReport report;
  private final boolean forceWouldProceed;

  public RollbackRefusedException(SafetyReport report, boolean forced) {
    super(report.details() + (forced || !report.allowsForce() ? ""
        : "\n(Use force to roll back anyway: everything on disk is kept in a PRE_ROLLBACK checkpoint first.)"));
    this.report = report;
    this.forceWouldProceed = !forced && report.allowsForce();
  }

  public SafetyReport report() {
    return report;
  }

  /** Whether the same rollback with {@code force} would go ahead (every refusal is one that force bypasses). */
  public boolean forceWouldProceed() {
    return forceWouldProceed;
  }
}
