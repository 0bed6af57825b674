package io.cortex.rollback.command;

/** Ends parsing with the reason; {@link RollbackCommandParser} turns it into an invalid command. */
final class ParseFailure extends RuntimeException {

  ParseFailure(String message) {
    super(message, null, false, false);
  }
}
