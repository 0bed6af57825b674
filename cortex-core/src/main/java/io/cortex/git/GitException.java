package io.cortex.git;

import io.cortex.base.CortexException;

/** A git operation on a session's repository failed; the message names the repository and the step. */
public class GitException extends CortexException {

  public GitException(String message) {
    super(message);
  }

  public GitException(String message, Throwable cause) {
    super(message, cause);
  }
}
