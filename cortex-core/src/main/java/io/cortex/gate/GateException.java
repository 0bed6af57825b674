package io.cortex.gate;

import io.cortex.base.CortexException;

/**
 * A gate command could not be run at all (no shell, missing work tree) or its run was
 * interrupted. This is a technical failure, not a failed gate: the caller's job is retried.
 */
public class GateException extends CortexException {

  public GateException(String message, Throwable cause) {
    super(message, cause);
  }
}
