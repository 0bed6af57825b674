package io.cortex.checkpoint;

import io.cortex.base.CortexException;

/** A session or checkpoint id breaks the naming rule; nothing was written. */
public class InvalidIdException extends CortexException {

  public InvalidIdException(String message) {
    super(message);
  }
}
