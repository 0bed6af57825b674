package io.cortex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One CLI call end to end, JVM start included: {@code cortex checkpoints --session X --data DIR}
 * on an existing H2 file. Runs the command {@code ./cortex} execs ({@code java -jar
 * target/cortex.jar}); the launcher script itself is timed too when the jar is up to date (it
 * would otherwise rebuild in the middle of the run).
 */
final class CliSection {

  private CliSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    Path jar = config.basedir.resolve("target/cortex.jar");
    if (!Files.exists(jar)) {
      report.fact("cli", "skipped: " + jar + " missing (build it with mvn -q -B -DskipTests package; mvn -Pbench verify does)");
      return;
    }
    BenchRepo repo = CheckpointSection.generate(config, "cli-repo", 1_000);
    Path data = Bench.repoDir(config, "cli-data");
    BenchRepo.deleteTree(data);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> base = List.of(javaBin, "-Dcortex.home=" + config.basedir, "-jar", jar.toString());
    double startMs = Timer.time(i -> cli(config, base, "start", "planning", "--repo", repo.dir.toString(), "--session",
        "cli-bench", "--data", data.toString()), 0);
    report.fact("cli", "setup: 'start planning' (creates the H2 file, deploys the workflows, session-start checkpoint) took "
        + Report.fmt(startMs) + " ms (single run)");
    if (!config.quick) {
      double createMs = Timer.time(i -> cli(config, base, "checkpoint", "create", "--session", "cli-bench", "--id",
          "before-change", "--data", data.toString()), 0);
      report.fact("cli", "one 'checkpoint create' took " + Report.fmt(createMs) + " ms (single run)");
    }
    int reps = config.quick ? 3 : 7;
    String[] args = {"checkpoints", "--session", "cli-bench", "--data", data.toString()};
    Stats[] s = Timer.pair(1, reps, null, i -> {
      String out = cli(config, base, args);
      if (!out.contains("session-start")) {
        throw new IllegalStateException("unexpected CLI output: " + out);
      }
    }, null, i -> NativeGit.git(repo.dir, "for-each-ref", "refs/cortex/checkpoints/cli-bench/"));
    report.add("cli/checkpoints", "cli", "cortex checkpoints --session X --data DIR (java -jar, JVM start included)", "-",
        s[0], s[1], "git for-each-ref refs/cortex/checkpoints/X/", "");
    Path script = config.basedir.resolve("cortex");
    String stale = Processes.run(config.basedir, List.of("bash", "-c",
        "find src/main processes pom.xml -newer target/cortex.jar -print -quit 2>/dev/null || true")).strip();
    if (Files.isExecutable(script) && stale.isEmpty()) {
      List<String> viaScript = new ArrayList<>(List.of(script.toString()));
      Stats scripted = Timer.measure(1, Math.max(3, reps / 2), null, i -> Processes.run(config.basedir,
          concat(viaScript, args)));
      report.add("cli/script", "cli", "./cortex checkpoints --session X --data DIR (launcher script)", "-", scripted, s[1],
          "git for-each-ref refs/cortex/checkpoints/X/", "");
    } else {
      report.fact("cli", "./cortex launcher not timed: " + (stale.isEmpty() ? "not executable" : "jar older than " + stale
          + " (the script would rebuild)"));
    }
    if (config.profile) {
      Path jfr = config.work.resolve("jfr/cli.jfr");
      Files.createDirectories(jfr.getParent());
      List<String> profiled = new ArrayList<>(List.of(javaBin, "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile",
          "-Dcortex.home=" + config.basedir, "-jar", jar.toString()));
      double ms = Timer.time(i -> Processes.run(config.basedir, concat(profiled, args)), 0);
      report.fact("cli", "one call under JFR took " + Report.fmt(ms) + " ms; recording " + jfr);
      profiles.summarize("CLI call 'cortex checkpoints' (new JVM, JFR settings=profile)", jfr, 1, ms);
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
