package io.cortex.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark harness of issue 6: Cortex against native git (and the raw engine) in the same
 * run, on generated deterministic repositories. Run with {@code mvn -B -Pbench verify}; see
 * docs/performance.md for the options.
 */
public final class Bench {

  /** Everything printed goes to stdout and the raw log. */
  static PrintStream out = System.out;
  static String loadAtStart = "?";

  /** Options, from system properties {@code bench.*}. */
  static class Config {
    final boolean quick = Boolean.getBoolean("bench.quick");
    final List<Integer> sizes = ints(prop("bench.sizes", quick ? "1000,10000" : "1000,10000,50000"));
    final int warmup = Integer.getInteger("bench.warmup", quick ? 2 : 3);
    final int reps = Integer.getInteger("bench.reps", quick ? 7 : 15);
    final boolean nodeModules = bool("bench.nodeModules", !quick);
    final int nodeModulesFiles = Integer.getInteger("bench.nodeModulesFiles", 100_000);
    final boolean bigBinary = bool("bench.bigBinary", !quick);
    final long bigBinaryBytes = Long.getLong("bench.bigBinaryBytes", 200L * 1024 * 1024);
    final int sequential = Integer.getInteger("bench.sequential", quick ? 100 : 1000);
    final int engineInstances = Integer.getInteger("bench.engineInstances", quick ? 30 : 100);
    final boolean profile = bool("bench.profile", !quick);
    final Path basedir = Path.of(prop("bench.basedir", ".")).toAbsolutePath().normalize();
    final Path work = Path.of(prop("bench.dir",
        System.getProperty("java.io.tmpdir") + "/cortex-bench")).toAbsolutePath().normalize();
    final Path outDir = Path.of(prop("bench.out",
        quick ? basedir.resolve("target/bench").toString() : basedir.resolve("docs").toString())).toAbsolutePath();
    final Set<String> only = new LinkedHashSet<>(Arrays.stream(prop("bench.only", "").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toList());
    final boolean keep = Boolean.getBoolean("bench.keep");

    boolean runs(String section) {
      return only.isEmpty() || only.contains(section);
    }

    /** Timed repetitions for an operation on {@code files} files (fewer for the slow large ones). */
    int reps(int files) {
      return files >= 50_000 ? Math.max(5, reps / 2) : reps;
    }

    int warmup(int files) {
      return files >= 50_000 ? Math.max(1, warmup - 1) : warmup;
    }

    int largestBelow50k() {
      return sizes.stream().filter(s -> s < 50_000).max(Integer::compare).orElse(sizes.get(0));
    }

    String describe() {
      return "mode=" + (quick ? "quick" : "full") + " sizes=" + sizes + " warmup=" + warmup + " reps=" + reps
          + " (50k: " + reps(50_000) + ") nodeModules=" + (nodeModules ? nodeModulesFiles : "off")
          + " bigBinary=" + (bigBinary ? bigBinaryBytes / (1024 * 1024) + "MiB" : "off")
          + " sequential=" + sequential + " engineInstances=" + engineInstances + " profile=" + profile
          + (only.isEmpty() ? "" : " only=" + only) + " work=" + work;
    }

    private static List<Integer> ints(String csv) {
      return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf)
          .collect(Collectors.toList());
    }

    /** A system property; blank counts as unset (Maven passes unset options as empty). */
    static String prop(String name, String def) {
      String v = System.getProperty(name);
      return v == null || v.isBlank() ? def : v.strip();
    }

    private static boolean bool(String name, boolean def) {
      String v = System.getProperty(name);
      return v == null || v.isBlank() ? def : Boolean.parseBoolean(v);
    }
  }

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    Files.createDirectories(config.outDir);
    Files.createDirectories(config.work);
    Path raw = config.outDir.resolve("performance-raw.txt");
    try (OutputStream file = new FileOutputStream(raw.toFile())) {
      out = new PrintStream(new Tee(System.out, file), true, StandardCharsets.UTF_8);
      run(config);
    } finally {
      out.flush();
      out = System.out;
    }
    System.out.println("Raw output: " + raw);
  }

  private static void run(Config config) throws Exception {
    Instant started = Instant.now();
    loadAtStart = loadAverage();
    NativeGit.stderrLog = config.work.resolve("git-stderr.log");
    Files.writeString(NativeGit.stderrLog, "");
    Machine machine = Machine.describe();
    out.println("Cortex benchmark — " + started);
    out.println(config.describe());
    out.println(machine.text());
    out.println();
    Report report = new Report();
    Profiles profiles = new Profiles(config.profile, config.work.resolve("jfr"));

    section(config, "calibration", () -> Calibration.run(config, report));
    section(config, "checkpoint", () -> CheckpointSection.run(config, report, profiles));
    section(config, "cold", () -> ColdSection.run(config, report, profiles));
    section(config, "variants", () -> VariantSection.run(config, report));
    section(config, "listing", () -> ListingSection.run(config, report, profiles));
    section(config, "rollback", () -> RollbackSection.run(config, report, profiles));
    section(config, "history", () -> HistorySection.run(config, report));
    section(config, "sequential", () -> SequentialSection.run(config, report, profiles));
    section(config, "engine", () -> EngineSection.run(config, report, profiles));
    section(config, "cli", () -> ResidentCliSection.run(config, report));

    Goals.evaluate(config, report);
    Duration took = Duration.between(started, Instant.now());
    out.println();
    out.println("=== Results (" + config.describe() + ", took " + took.toSeconds() + " s) ===");
    out.print(report.textTable());
    out.println();
    out.println("Facts:");
    report.facts.forEach(f -> out.println("  [" + f[0] + "] " + f[1]));
    profiles.printAll(out);
    Markdown.write(config, machine, report, profiles, started, took);
    if (!config.keep) {
      BenchRepo.deleteTree(config.work.resolve("repos"));
    }
  }

  interface Section {
    void run() throws Exception;
  }

  private static void section(Config config, String name, Section section) throws Exception {
    if (!config.runs(name)) {
      return;
    }
    out.println();
    out.println("=== " + name + " === (load average " + loadAverage() + ")");
    long t0 = System.nanoTime();
    section.run();
    out.printf("--- %s took %.1f s (load average %s)%n", name, (System.nanoTime() - t0) / 1e9, loadAverage());
    System.gc();
  }

  /** /proc/loadavg's 1, 5 and 15 minute figures: other work on the machine during the run. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static Path repoDir(Config config, String name) {
    return config.work.resolve("repos").resolve(name);
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
