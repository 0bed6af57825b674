package io.cortex.checkpoint;

import io.cortex.base.CortexException;

/** No session with this id is in the catalogue. */
public class SessionNotFoundException extends CortexException {

  public SessionNotFoundException(String sessionId) {
    super("Unknown session '" + sessionId + "': no session with this id was started, imported or rebuilt."
        + " Start one with './cortex start <workflow> --repo PATH --session " + sessionId + "'.");
  }
}
