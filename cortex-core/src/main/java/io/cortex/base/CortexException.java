package io.cortex.base;

/**
 * Root of every error Cortex raises on purpose. Each subclass names one kind of failure;
 * every message says what failed, for which id, why, and what to do about it.
 */
public class CortexException extends RuntimeException {

  public CortexException(String message) {
    super(message);
  }

  public CortexException(String message, Throwable cause) {
    super(message, cause);
  }
}
