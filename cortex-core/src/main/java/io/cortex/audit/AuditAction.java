package io.cortex.audit;

/** What an audit entry records. */
public enum AuditAction {
  CHECKPOINT_CREATED,
  SAFETY_REFUSED,
  ROLLBACK_INITIATED,
  ROLLBACK_COMPLETED,
  ROLLBACK_FAILED,
  UNDO_INITIATED,
  UNDO_COMPLETED,
  UNDO_FAILED,
  RECOVERY_ATTEMPTED,
  CHECKPOINT_DELETED,
  /** A session's rows and refs were deleted ({@code cortex session delete}). */
  SESSION_DELETED,
  /** An operation whose process died half-way (a rollback, undo or retention run) was finished by another. */
  OPERATION_RESUMED
}
