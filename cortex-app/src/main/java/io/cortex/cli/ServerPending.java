package io.cortex.cli;

import io.cortex.client.DaemonAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <data>/daemon/serve.pending}: a server is taking the data directory over. A resident process that a client
 * starts meanwhile stands back (its client waits for the server's socket) instead of taking the directory just
 * released by the one the server asked to stop.
 */
final class ServerPending implements AutoCloseable {

  private final Path file;

  private ServerPending(Path file) {
    this.file = file;
  }

  static ServerPending mark(DaemonAddress address) {
    Path file = address.directory().resolve(FILE_NAME);
    try {
      address.createDirectories();
      Files.writeString(file, Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      // without the marker a resident process may win the race; the server then asks it to stop as well
    }
    return new ServerPending(file);
  }

  static final String FILE_NAME = "serve.pending";

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale marker is ignored once its pid has ended
    }
  }
}
