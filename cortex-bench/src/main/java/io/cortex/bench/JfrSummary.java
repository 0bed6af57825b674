package io.cortex.bench;

import java.nio.file.Path;

/**
 * Prints the main thread's hottest methods (self and inclusive) of a JFR recording:
 * {@code java -cp CLASSPATH io.cortex.bench.JfrSummary recording.jfr}.
 */
public final class JfrSummary {

  private JfrSummary() {
  }

  public static void main(String[] args) throws Exception {
    Profiles profiles = new Profiles(true, Path.of(System.getProperty("java.io.tmpdir")));
    for (String file : args) {
      profiles.summarize(file, Path.of(file), 1, Double.NaN);
    }
    profiles.printAll(System.out);
  }
}
