package io.cortex.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which build of Cortex this process runs: the launcher's {@code cortex.build}, else the time (in seconds) the runnable
 * jar in the Cortex home was written, else {@code dev}. A client talks only to a resident process of its own build; one
 * of another build hands over (as Gradle starts a new daemon for another Gradle version).
 */
public final class BuildId {

  private BuildId() {
  }

  public static String current() {
    String given = System.getProperty("cortex.build");
    if (given != null && !given.isBlank()) {
      return given;
    }
    Path jar = Path.of(System.getProperty("cortex.home", "."), "cortex-app", "target", "cortex.jar");
    try {
      return Long.toString(Files.getLastModifiedTime(jar).to(java.util.concurrent.TimeUnit.SECONDS));
    } catch (IOException e) {
      return "dev";
    }
  }
}
