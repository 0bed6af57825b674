package io.cortex.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a non-git process with the inherited environment (stderr merged), failing on a non-zero exit. */
final class Processes {

  private Processes() {
  }

  static String run(Path dir, List<String> command) {
    return run(dir, java.util.Map.of(), command);
  }

  /** The same with extra environment variables. */
  static String run(Path dir, java.util.Map<String, String> env, List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      if (code != 0) {
        String shown = command.size() <= 4 ? String.join(" ", command)
            : command.get(0) + " ... " + String.join(" ", command.subList(command.size() - 3, command.size()));
        throw new IllegalStateException(shown + " exited " + code + ": " + out.strip());
      }
      return out;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
