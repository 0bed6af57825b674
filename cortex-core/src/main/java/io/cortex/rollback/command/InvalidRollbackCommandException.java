package io.cortex.rollback.command;

import io.cortex.base.CortexException;

/**
 * A command {@link RollbackCommandParser} rejected was given to {@link TargetResolver};
 * the message is the parser's error.
 */
public class InvalidRollbackCommandException extends CortexException {

  public InvalidRollbackCommandException(String parseError) {
    super(parseError);
  }
}
