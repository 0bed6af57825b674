package io.cortex.audit;

/** How the audited action ended, as in the seed protocol. */
public enum AuditOutcome {
  SUCCESS,
  FAILURE,
  PARTIAL
}
