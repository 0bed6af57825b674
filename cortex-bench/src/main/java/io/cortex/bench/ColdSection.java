package io.cortex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The first checkpoint in a new JVM: {@link ColdCheckpoint} launched as its own process. */
final class ColdSection {

  private static final Pattern LINE = Pattern.compile("jvm_ms_before_main=(\\d+) checkpoint_ms=([\\d.]+) open=([\\d.]+) capture=([\\d.]+) commit=([\\d.]+) ref=([\\d.]+)");

  private ColdSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    int reps = config.quick ? 3 : 4;
    for (int size : config.sizes) {
      BenchRepo repo = CheckpointSection.repo(config, size);
      if (config.quick && size != 10_000) {
        continue;
      }
      List<CheckpointSection.Change> changes = size == 10_000 && !config.quick
          ? List.of(CheckpointSection.Change.NOTHING, CheckpointSection.Change.ONE) : List.of(CheckpointSection.Change.ONE);
      for (CheckpointSection.Change change : changes) {
        List<Integer> targets = change == CheckpointSection.Change.ONE ? repo.pick(1, 1) : List.of();
        List<double[]> inside = new ArrayList<>();
        String session = "cold-" + change.name().toLowerCase();
        Stats[] s = Timer.pair(1, reps,
            i -> CheckpointSection.apply(repo, change, targets, 2 * i + 1),
            i -> inside.add(launch(repo.dir, session, "c" + i)),
            i -> CheckpointSection.apply(repo, change, targets, 2 * i + 2),
            i -> NativeGit.checkpoint(repo.dir, "refs/native/" + session + "/n" + i, "native " + i));
        List<double[]> timed = inside.subList(1, inside.size()); // drop the warm-up launch
        Stats checkpointOnly = Stats.of(timed.stream().mapToDouble(v -> v[1]).toArray());
        Stats beforeMain = Stats.of(timed.stream().mapToDouble(v -> v[0]).toArray());
        String split = String.format(java.util.Locale.ROOT, "median split in the new JVM: open=%s capture=%s commit=%s ref=%s",
            Report.fmt(Stats.of(timed.stream().mapToDouble(v -> v[2]).toArray()).median()),
            Report.fmt(Stats.of(timed.stream().mapToDouble(v -> v[3]).toArray()).median()),
            Report.fmt(Stats.of(timed.stream().mapToDouble(v -> v[4]).toArray()).median()),
            Report.fmt(Stats.of(timed.stream().mapToDouble(v -> v[5]).toArray()).median()));
        String label = CheckpointSection.label(size);
        report.add("cold/" + size + "/" + change.name() + "/wall", "cold", "cold checkpoint, " + change.label
            + ": new JVM, wall", label, s[0], s[1], "native checkpoint (processes)", "JVM start to exit");
        report.add("cold/" + size + "/" + change.name() + "/inside", "cold", "cold checkpoint, " + change.label
            + ": first checkpoint inside the new JVM", label, checkpointOnly, s[1], "native checkpoint (processes)",
            "JVM up before main: median " + Report.fmt(beforeMain.median()) + " ms");
        report.fact("cold " + label, change.label + ": " + split);
        repo.clean();
      }
      if (!config.quick && size == 10_000) {
        lean(config, report, repo, reps);
      }
      if (profiles.enabled() && size == 10_000) {
        Path jfr = config.work.resolve("jfr/cold-checkpoint.jfr");
        Files.createDirectories(jfr.getParent());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        repo.modify(repo.pick(1, 1), 777);
        double ms = Timer.time(i -> Processes.run(repo.dir, List.of(javaBin, "-XX:FlightRecorderOptions=stackdepth=256", "-XX:StartFlightRecording=filename=" + jfr
            + ",settings=" + profiles.settingsFile(), "-cp", absoluteClassPath(), ColdCheckpoint.class.getName(),
            repo.dir.toString(), "cold-prof", "p")), 0);
        profiles.summarize("cold checkpoint 10k, 1 file changed (new JVM, JFR, 1 ms samples)", jfr, 1, ms);
        repo.clean();
      }
    }
  }

  /**
   * Evidence for the notes: the same cold checkpoint with only what it needs on the class path
   * (Cortex, JGit and its three dependencies; no logback, so SLF4J stays silent) and a JIT that
   * stops at C1: what is JVM/class-loading/logging cost rather than git work.
   */
  private static void lean(Bench.Config config, Report report, BenchRepo repo, int reps) throws Exception {
    String lean = java.util.Arrays.stream(absoluteClassPath().split(java.io.File.pathSeparator))
        .filter(e -> !e.endsWith(".jar") || e.matches(".*/(org\\.eclipse\\.jgit|JavaEWAH|slf4j-api|commons-codec)-[^/]*\\.jar"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Integer> targets = repo.pick(1, 1);
    List<double[]> inside = new ArrayList<>();
    List<double[]> insideNoSystem = new ArrayList<>();
    List<String> command = List.of(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", lean,
        ColdCheckpoint.class.getName(), repo.dir.toString(), "cold-lean");
    // Second variant: GIT_CONFIG_NOSYSTEM=1, so JGit skips 'git --version' and 'git config --system
    // --show-origin --list -z', the two processes it starts on first use to find the system config.
    Stats[] s = Timer.pair(1, reps,
        i -> CheckpointSection.apply(repo, CheckpointSection.Change.ONE, targets, 500 + 2 * i),
        i -> inside.add(parse(Processes.run(repo.dir, concat(command, "l" + i)))),
        i -> CheckpointSection.apply(repo, CheckpointSection.Change.ONE, targets, 501 + 2 * i),
        i -> insideNoSystem.add(parse(Processes.run(repo.dir, Map.of("GIT_CONFIG_NOSYSTEM", "1"),
            concat(command, "n" + i)))));
    Stats in = Stats.of(inside.subList(1, inside.size()).stream().mapToDouble(v -> v[0]).toArray());
    Stats inNoSystem = Stats.of(insideNoSystem.subList(1, insideNoSystem.size()).stream().mapToDouble(v -> v[0]).toArray());
    Report.Row ref = report.get("cold/10000/ONE/wall");
    report.add("cold/10000/ONE/lean", "cold", "cold checkpoint, 1 file changed: new JVM, lean class path + C1 only, wall",
        "10k", s[0], ref == null ? null : ref.reference(), "native checkpoint (processes)",
        "inside the JVM: median " + Report.fmt(in.median()) + " ms; class path: Cortex + JGit, JavaEWAH, slf4j-api, commons-codec");
    report.add("cold/10000/ONE/lean-nosystem", "cold", "same, and GIT_CONFIG_NOSYSTEM=1 (no git processes from JGit), wall",
        "10k", s[1], ref == null ? null : ref.reference(), "native checkpoint (processes)",
        "inside the JVM: median " + Report.fmt(inNoSystem.median()) + " ms");
    repo.clean();
  }

  private static double[] parse(String out) {
    Matcher m = LINE.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("Unexpected output of the cold checkpoint: " + out);
    }
    return new double[] {Double.parseDouble(m.group(2))};
  }

  /** The harness's class path with absolute entries (the new JVM runs in the repository). */
  static String absoluteClassPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static double[] launch(Path repo, String session, String id) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The user's environment as it is (no bench git settings), like a real first call.
    String out = Processes.run(repo, List.of(javaBin, "-cp", absoluteClassPath(),
        ColdCheckpoint.class.getName(), repo.toString(), session, id));
    Matcher m = LINE.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("Unexpected output of the cold checkpoint: " + out);
    }
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6))};
  }

  private static java.util.List<String> concat(java.util.List<String> head, String... tail) {
    java.util.List<String> all = new java.util.ArrayList<>(head);
    all.addAll(java.util.List.of(tail));
    return all;
  }
}
