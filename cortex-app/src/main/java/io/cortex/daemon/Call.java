package io.cortex.daemon;

import io.cortex.client.Request;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One command line as the resident process runs it for a client: the client's arguments, working directory
 * (every relative path in the call resolves against it), environment, user, terminal and standard input.
 */
public record Call(List<String> args, Path cwd, Map<String, String> environment, String user,
                   boolean stdoutTerminal, boolean stderrTerminal, int columns, InputStream stdin) {

  public Call {
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
  }

  static Call of(Request request, InputStream stdin) {
    return new Call(request.args(), Path.of(request.cwd()), request.environment(), request.user(),
        request.stdoutTerminal(), request.stderrTerminal(), request.columns(), stdin);
  }
}
