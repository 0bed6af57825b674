package io.cortex.intent;

/** Where an {@link Intent} stands. Only {@link #PENDING} ones are ever acted on. */
public enum IntentState {
  /** Written before git was touched; the operation has not finished (it runs, or its process died). */
  PENDING,
  /** The operation finished, by its own process or by a later one that resumed it. */
  COMPLETED,
  /** The operation failed, or could not be resumed; the audit log says why and what to do. */
  FAILED
}
