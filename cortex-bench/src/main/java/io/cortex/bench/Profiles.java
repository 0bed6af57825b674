package io.cortex.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A small sampling profiler on JDK Flight Recorder: runs an operation in a loop under a
 * recording of Java and native method samples (1 ms) and summarises the main thread's stacks
 * as self time (top frame) and inclusive time (any frame) per method.
 */
final class Profiles {

  record Summary(String name, int iterations, double msPerIteration, int samples, List<String> self,
                 List<String> inclusive, List<String> cortex) {
  }

  private final boolean enabled;
  private final Path dir;
  final List<Summary> summaries = new ArrayList<>();

  Profiles(boolean enabled, Path dir) {
    this.enabled = enabled;
    this.dir = dir;
  }

  boolean enabled() {
    return enabled;
  }

  /** A recorder settings file with only Java and native method samples at 1 ms, for {@code -XX:StartFlightRecording}. */
  Path settingsFile() throws java.io.IOException {
    Files.createDirectories(dir);
    Path jfc = dir.resolve("bench.jfc");
    Files.writeString(jfc, """
        <?xml version="1.0" encoding="UTF-8"?>
        <configuration version="2.0" label="bench">
          <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
          <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
        </configuration>
        """);
    return jfc;
  }

  void profile(String name, int iterations, Timer.Op setup, Timer.Op op) throws Exception {
    if (!enabled) {
      return;
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".jfr");
    long timed = 0;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      for (int i = 0; i < iterations; i++) {
        if (setup != null) {
          setupPhase(setup, 1_000_000 + i);
        }
        long t0 = System.nanoTime();
        Timer.untimed(op, 1_000_000 + i);
        timed += System.nanoTime() - t0;
      }
      recording.stop();
      recording.dump(file);
    }
    summarize(name, file, iterations, timed / 1e6 / iterations);
  }

  /** Untimed setup between profiled iterations; samples under this frame are left out of the summary. */
  private static void setupPhase(Timer.Op setup, int iteration) {
    Timer.untimed(setup, iteration);
  }

  /** Summarises the main thread's samples of a recording (also one made by another JVM). */
  void summarize(String name, Path file, int iterations, double msPerIteration) throws java.io.IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> cortex = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      String type = event.getEventType().getName();
      if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
        continue;
      }
      RecordedThread thread = event.getThread("sampledThread");
      if (thread == null || !"main".equals(thread.getJavaName()) || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty() || frames.stream().anyMatch(f -> f.getMethod().getName().equals("setupPhase")
          && f.getMethod().getType().getName().equals(Profiles.class.getName()))) {
        continue;
      }
      samples++;
      self.merge(method(frames.get(0)) + (type.equals("jdk.NativeMethodSample") ? " [native]" : ""), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String m = method(f);
        if (!m.startsWith("io.cortex.bench.") && !m.startsWith("java.lang.Thread.run") && seen.add(m)) {
          inclusive.merge(m, 1, Integer::sum);
          if (m.startsWith("io.cortex.") && !m.contains("$$Lambda") && !m.contains(".lambda$")) {
            cortex.merge(m, 1, Integer::sum);
          }
        }
      }
    }
    Summary summary = new Summary(name, iterations, msPerIteration, samples, top(self, samples, 15),
        top(inclusive, samples, Integer.getInteger("bench.inclusiveTop", 30)), top(cortex, samples, 25));
    summaries.add(summary);
    Bench.out.printf(Locale.ROOT, "  [profile] %s: %d iterations, %.1f ms each under JFR, %d main-thread samples%n",
        name, iterations, summary.msPerIteration(), samples);
  }

  private static String method(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static List<String> top(Map<String, Integer> counts, int total, int n) {
    return counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
        .map(e -> String.format(Locale.ROOT, "%5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, total), e.getKey()))
        .toList();
  }

  void printAll(PrintStream out) {
    for (Summary s : summaries) {
      out.println();
      out.printf(Locale.ROOT, "=== profile: %s (%d iterations, %.1f ms each under JFR, %d samples) ===%n", s.name(),
          s.iterations(), s.msPerIteration(), s.samples());
      out.println("  self (top frame):");
      s.self().forEach(l -> out.println("    " + l));
      out.println("  inclusive (method anywhere on the stack):");
      s.inclusive().forEach(l -> out.println("    " + l));
      out.println("  inclusive, Cortex methods only:");
      s.cortex().forEach(l -> out.println("    " + l));
    }
  }
}
