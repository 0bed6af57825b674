package io.cortex.cli;

import io.cortex.Cortex;

/** The engine one command runs on, given back when it is closed (to the resident process, or shut down). */
record CliEngine(Cortex cortex, Runnable release) implements AutoCloseable {

  @Override
  public void close() {
    release.run();
  }
}
