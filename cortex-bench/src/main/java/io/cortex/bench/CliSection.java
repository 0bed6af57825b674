package io.cortex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CLI call end to end, JVM start included: {@code cortex checkpoints --session X --data DIR}
 * on an existing H2 file. Times the command {@code ./cortex} execs ({@code java -jar
 * target/cortex.jar}, what the launcher ran before it extracted the jar), the launcher script itself when the jar
 * is up to date (it would otherwise rebuild in the middle of the run; the goal is measured on it), and — as evidence for the optimisation notes — the same call
 * with JVM flags for a short-lived process, from the extracted jar with an AppCDS archive, and a
 * prototype reading the catalogue over JDBC without booting the engine. The variants run in turn
 * (one call of each per round), so that a change of machine load hits them alike.
 */
final class CliSection {

  private CliSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    Path jar = config.basedir.resolve("cortex-app/target/cortex.jar");
    if (!Files.exists(jar)) {
      report.fact("cli", "skipped: " + jar + " missing (build it with mvn -q -B -DskipTests package; mvn -Pbench verify does)");
      return;
    }
    BenchRepo repo = CheckpointSection.generate(config, "cli-repo", 1_000);
    Path data = Bench.repoDir(config, "cli-data");
    BenchRepo.deleteTree(data);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String home = "-Dcortex.home=" + config.basedir;
    List<String> base = List.of(javaBin, home, "-jar", jar.toString());
    double startMs = Timer.time(i -> cli(config, base, "start", "planning", "--repo", repo.dir.toString(), "--session",
        "cli-bench", "--data", data.toString()), 0);
    report.fact("cli", "setup: 'start planning' (creates the H2 file, deploys the workflows, session-start checkpoint) took "
        + Report.fmt(startMs) + " ms (single run)");
    if (!config.quick) {
      double createMs = Timer.time(i -> cli(config, base, "checkpoint", "create", "--session", "cli-bench", "--id",
          "before-change", "--data", data.toString()), 0);
      report.fact("cli", "one 'checkpoint create' took " + Report.fmt(createMs) + " ms (single run)");
    }
    String[] args = {"checkpoints", "--session", "cli-bench", "--data", data.toString()};

    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("base", concat(base, args));
    String stale = Processes.run(config.basedir, List.of("bash", "-c",
        "find */src/main processes pom.xml */pom.xml -newer cortex-app/target/cortex.jar -print -quit 2>/dev/null || true")).strip();
    Path script = config.basedir.resolve("cortex");
    if (Files.isExecutable(script) && stale.isEmpty()) {
      // the launcher's one-time work after a build: extract the jar, list the classes, write the CDS archive
      BenchRepo.deleteTree(config.basedir.resolve("cortex-app/target/cortex-app"));
      double firstMs = Timer.time(i -> Processes.run(config.basedir, concat(List.of(script.toString()), args)), 0);
      report.fact("cli", "first ./cortex call after a build (extracts the jar, records the class list and writes the "
          + "CDS archive once): " + Report.fmt(firstMs) + " ms (single run)");
      variants.put("script", concat(List.of(script.toString()), args));
      // checkpoints reads the database without an engine; status boots one, as most commands do
      variants.put("scriptStatus", List.of(script.toString(), "status", "--session", "cli-bench", "--data",
          data.toString()));
    } else {
      report.fact("cli", "./cortex launcher not timed: " + (stale.isEmpty() ? "not executable" : "jar older than " + stale
          + " (the script would rebuild)"));
    }
    String flags = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    if (!config.quick) {
      variants.put("flags", concat(List.of(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", home, "-jar",
          jar.toString()), args));
      try {
        Path extracted = config.work.resolve("cli-extracted");
        BenchRepo.deleteTree(extracted);
        Processes.run(config.basedir, List.of(javaBin, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
            extracted.toString()));
        Path archive = extracted.resolve("cortex.jsa");
        Path thin = extracted.resolve("cortex.jar");
        cli(config, List.of(javaBin, "-XX:ArchiveClassesAtExit=" + archive, home, "-jar", thin.toString()), args);
        variants.put("cds", concat(List.of(javaBin, "-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", home, "-jar", thin.toString()), args));
      } catch (IllegalStateException e) {
        report.fact("cli", "extract/AppCDS variant not measured: " + e.getMessage());
      }
      variants.put("jdbc", List.of(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
          ColdSection.absoluteClassPath(), CliJdbcProbe.class.getName(), data.toString(), "cli-bench"));
    }
    variants.put("git", List.of("git", "for-each-ref", "refs/cortex/checkpoints/cli-bench/"));

    int reps = config.quick ? 2 : 4;
    List<String> names = new ArrayList<>(variants.keySet());
    Map<String, double[]> samples = new LinkedHashMap<>();
    names.forEach(n -> samples.put(n, new double[reps]));
    for (int i = -1; i < reps; i++) { // round -1: warm-up (page cache, H2 file)
      for (int k = 0; k < names.size(); k++) {
        String name = names.get(Math.floorMod(i + k, names.size()));
        List<String> command = variants.get(name);
        double ms = Timer.time(x -> {
          String out = name.equals("git") ? NativeGit.run(repo.dir, Map.of(), null, command)
              : Processes.run(config.basedir, command);
          if (!out.contains("session-start")) {
            throw new IllegalStateException(name + ": unexpected output: " + out);
          }
        }, i);
        if (i >= 0) {
          samples.get(name)[i] = ms;
        }
      }
    }
    Stats git = Stats.of(samples.get("git"));
    String ref = "git for-each-ref refs/cortex/checkpoints/X/";
    report.add("cli/checkpoints", "cli", "cortex checkpoints --session X --data DIR (java -jar, JVM start included)", "-",
        Stats.of(samples.get("base")), git, ref, "");
    if (samples.containsKey("script")) {
      report.add("cli/script", "cli", "./cortex checkpoints --session X --data DIR (launcher script)", "-",
          Stats.of(samples.get("script")), git, ref, "");
    }
    if (samples.containsKey("scriptStatus")) {
      report.add("cli/script-status", "cli", "./cortex status --session X --data DIR (launcher script, engine boot)", "-",
          Stats.of(samples.get("scriptStatus")), git, ref, "");
    }
    if (samples.containsKey("flags")) {
      report.add("cli/flags", "cli", "same call, java " + flags + " -jar", "-", Stats.of(samples.get("flags")), git, ref,
          "option: default CORTEX_JAVA_OPTS");
    }
    if (samples.containsKey("cds")) {
      report.add("cli/cds", "cli", "same call, extracted jar + AppCDS archive + " + flags, "-", Stats.of(samples.get("cds")),
          git, ref, "option: ship a CDS archive");
    }
    if (samples.containsKey("jdbc")) {
      report.add("cli/jdbc", "cli", "prototype: same listing over JDBC, no engine boot (new JVM, " + flags + ")", "-",
          Stats.of(samples.get("jdbc")), git, ref, "option: read-only commands without the engine");
    }
    if (config.profile) {
      Path jfr = config.work.resolve("jfr/cli.jfr");
      Files.createDirectories(jfr.getParent());
      List<String> profiled = concat(List.of(javaBin, "-XX:FlightRecorderOptions=stackdepth=256",
          "-XX:StartFlightRecording=filename=" + jfr + ",settings=" + profiles.settingsFile(), home, "-jar", jar.toString()),
          args);
      double ms = Timer.time(i -> Processes.run(config.basedir, profiled), 0);
      report.fact("cli", "one call under JFR took " + Report.fmt(ms) + " ms; recording " + jfr);
      profiles.summarize("CLI call 'cortex checkpoints' (new JVM, JFR, 1 ms samples)", jfr, 1, ms);
    }
    BenchRepo.deleteTree(repo.dir);
  }

  static String cli(Bench.Config config, List<String> base, String... args) {
    return Processes.run(config.basedir, concat(base, args));
  }

  static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
