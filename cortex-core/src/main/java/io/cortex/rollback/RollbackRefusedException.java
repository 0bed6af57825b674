package io.cortex.rollback;

import io.cortex.base.CortexException;

/** A rollback was refused by its safety check; nothing was changed. */
public class RollbackRefusedException extends CortexException {

  private final transient SafetyReport report;

  public RollbackRefusedException(SafetyReport report, boolean forced) {
    super(report.details() + (forced || !report.allowsForce() ? ""
        : "\n(Use force to roll back anyway: everything on disk is kept in a PRE_ROLLBACK checkpoint first.)"));
    this.report = report;
  }

  public SafetyReport report() {
    return report;
  }
}
