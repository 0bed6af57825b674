package io.cortex.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The top folder of the Cortex checkout (where {@code ./cortex}, {@code processes/} and {@code docs/} are), from any module. */
public final class ProjectRoot {

  private static final Path ROOT = find();

  private ProjectRoot() {
  }

  /** A path below the top folder, e.g. {@code ProjectRoot.resolve("config/cortex.yaml")}. */
  public static Path resolve(String relative) {
    return ROOT.resolve(relative);
  }

  public static Path path() {
    return ROOT;
  }

  private static Path find() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("cortex")) && Files.isDirectory(dir.resolve("processes"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No Cortex checkout (a folder with ./cortex and processes/) at or above " + start);
  }
}
