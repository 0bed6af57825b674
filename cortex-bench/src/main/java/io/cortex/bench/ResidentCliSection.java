package io.cortex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The user's path: {@code ./cortex …} as a new process against the warm resident Cortex of its data directory,
 * paired with native git in the same rounds (cortex, then git, on the same working-tree state; the order swaps every
 * round so that a change of load hits both alike). Each row reports min / median / max over the rounds and the load
 * average; a goal is met only when every round meets it. Rows: checkpoint create (1% of the files changed) against
 * the temp-index pipeline, rollback {@code --force} of 10 and 1,000 changed files against save + read-tree + clean +
 * update-ref, {@code checkpoints} / {@code status} / {@code history -n 20} against {@code git status --porcelain},
 * the first call with no resident process against today's cold call ({@code --no-daemon}), and the resident
 * process's memory idle and after {@code bench.residentCheckpoints} checkpoints.
 */
final class ResidentCliSection {

  private ResidentCliSection() {
  }

  static void run(Bench.Config config, Report report) throws Exception {
    Path launcher = config.basedir.resolve("cortex");
    Path jar = config.basedir.resolve("cortex-app/target/cortex.jar");
    if (!Files.exists(jar) || !Files.isExecutable(launcher)) {
      report.fact("cli", "skipped: " + jar + " missing (mvn -B -Pbench verify builds it)");
      return;
    }
    int rounds = Math.max(3, Integer.getInteger("bench.cliRounds", config.quick ? 3 : 5));
    Path data = Bench.repoDir(config, "cli-resident-data");
    BenchRepo.deleteTree(data);
    Cli cli = new Cli(launcher, data);
    try {
      for (int size : config.sizes) {
        BenchRepo repo = CheckpointSection.generate(config, "cli-resident-" + size, size);
        String session = "cli-" + size;
        double startMs = Timer.time(i -> cli.ok(repo.dir, "start", "planning", "--repo", repo.dir.toString(),
            "--session", session), 0);
        report.fact("cli " + CheckpointSection.label(size), "setup 'start planning' (resident process started if none): "
            + Report.fmt(startMs) + " ms");
        checkpoints(config, report, cli, repo, session, size, rounds);
        if (size == config.largestBelow50k()) {
          listings(report, cli, repo, session, size, rounds);
          rollbacks(report, cli, repo, session, size, rounds);
        }
        BenchRepo.deleteTree(repo.dir);
      }
      firstCall(config, report, cli, rounds);
      memory(config, report, cli);
    } finally {
      cli.run(config.basedir, "daemon", "stop");
    }
  }

  private static void checkpoints(Bench.Config config, Report report, Cli cli, BenchRepo repo, String session, int size,
                                  int rounds) throws Exception {
    List<Integer> onePercent = new ArrayList<>();
    for (int i = 0; i < Math.max(1, size / 100); i++) {
      onePercent.add((int) ((long) i * size / Math.max(1, size / 100)));
    }
    double[] cortex = new double[rounds];
    double[] git = new double[rounds];
    String[] loads = new String[rounds];
    for (int r = -1; r < rounds; r++) { // round -1 warms both up
      repo.modify(onePercent, 100 + r + 2);
      int round = r;
      Timer.Op ours = i -> cli.ok(repo.dir, "checkpoint", "create", "--session", session, "--id", "bench-" + (round + 2));
      Timer.Op theirs = i -> NativeGit.checkpoint(repo.dir, "refs/bench/native-" + (round + 2), "native");
      double a;
      double b;
      if (Math.floorMod(r, 2) == 0) {
        a = Timer.time(ours, r);
        b = Timer.time(theirs, r);
      } else {
        b = Timer.time(theirs, r);
        a = Timer.time(ours, r);
      }
      if (r >= 0) {
        cortex[r] = a;
        git[r] = b;
        loads[r] = Bench.loadAverage().split(" ")[0];
      }
    }
    double target = size >= 10_000 ? 1.2 : 1.5;
    row(report, "cli/checkpoint/" + size, "./cortex checkpoint create (1% changed), resident warm",
        CheckpointSection.label(size), cortex, git, "temp-index add -A; write-tree; commit-tree; update-ref", loads, target);
  }

  private static void listings(Report report, Cli cli, BenchRepo repo, String session, int size, int rounds) {
    String[][] commands = {
        {"checkpoints", "--session", session},
        {"status", "--session", session},
        {"history", "--session", session, "-n", "20"}};
    for (String[] command : commands) {
      double[] cortex = new double[rounds];
      double[] git = new double[rounds];
      String[] loads = new String[rounds];
      for (int r = -1; r < rounds; r++) {
        Timer.Op ours = i -> cli.ok(repo.dir, command);
        Timer.Op theirs = i -> NativeGit.git(repo.dir, "status", "--porcelain");
        double a;
        double b;
        if (Math.floorMod(r, 2) == 0) {
          a = Timer.time(ours, r);
          b = Timer.time(theirs, r);
        } else {
          b = Timer.time(theirs, r);
          a = Timer.time(ours, r);
        }
        if (r >= 0) {
          cortex[r] = a;
          git[r] = b;
          loads[r] = Bench.loadAverage().split(" ")[0];
        }
      }
      row(report, "cli/" + command[0], "./cortex " + String.join(" ", command).replace(session, "X"),
          CheckpointSection.label(size), cortex, git, "git status --porcelain", loads, 1.0);
    }
  }

  private static void rollbacks(Report report, Cli cli, BenchRepo repo, String session, int size, int rounds)
      throws Exception {
    cli.ok(repo.dir, "checkpoint", "create", "--session", session, "--id", "rollback-target");
    String base = NativeGit.head(repo.dir);
    String targetTree = NativeGit.treeOf(repo.dir, "refs/cortex/checkpoints/" + session + "/rollback-target");
    for (int changed : new int[] {10, 1_000}) {
      List<Integer> files = new ArrayList<>();
      for (int i = 0; i < changed; i++) {
        files.add((int) ((long) i * size / changed));
      }
      double[] cortex = new double[rounds];
      double[] git = new double[rounds];
      String[] loads = new String[rounds];
      for (int r = -1; r < rounds; r++) {
        int round = r;
        repo.modify(files, 500 + 2 * r + 4);
        double a = Timer.time(i -> cli.ok(repo.dir, "rollback", "rollback session " + session + " to rollback-target",
            "--force"), r);
        repo.modify(files, 500 + 2 * r + 5);
        double b = Timer.time(i -> {
          NativeGit.checkpoint(repo.dir, "refs/bench/pre-rollback-" + (round + 2), "save");
          NativeGit.restore(repo.dir, targetTree, base);
        }, r);
        if (r >= 0) {
          cortex[r] = a;
          git[r] = b;
          loads[r] = Bench.loadAverage().split(" ")[0];
        }
      }
      row(report, "cli/rollback/" + changed, "./cortex rollback --force, " + changed + " files changed",
          CheckpointSection.label(size), cortex, git, "save + read-tree -u --reset + clean -fd + update-ref", loads, 1.5);
    }
  }

  /** The first call with no resident process (it starts one) against today's cold call: a whole JVM with the engine. */
  private static void firstCall(Bench.Config config, Report report, Cli cli, int rounds) throws Exception {
    BenchRepo repo = CheckpointSection.generate(config, "cli-first", 1_000);
    cli.ok(repo.dir, "start", "planning", "--repo", repo.dir.toString(), "--session", "first");
    double[] first = new double[rounds];
    double[] cold = new double[rounds];
    String[] loads = new String[rounds];
    for (int r = 0; r < rounds; r++) {
      cli.ok(config.basedir, "daemon", "stop");
      double a = Timer.time(i -> cli.ok(repo.dir, "checkpoints", "--session", "first"), r);
      cli.ok(config.basedir, "daemon", "stop");
      double b = Timer.time(i -> cli.ok(repo.dir, "--no-daemon", "checkpoints", "--session", "first"), r);
      first[r] = a;
      cold[r] = b;
      loads[r] = Bench.loadAverage().split(" ")[0];
    }
    row(report, "cli/first-call", "first ./cortex call, no resident process (starts one)", "1k", first, cold,
        "today's cold call: ./cortex --no-daemon (JVM + engine boot in the call)", loads, 1.0);
    BenchRepo.deleteTree(repo.dir);
  }

  private static void memory(Bench.Config config, Report report, Cli cli) throws Exception {
    BenchRepo repo = CheckpointSection.generate(config, "cli-memory", 1_000);
    cli.ok(repo.dir, "start", "planning", "--repo", repo.dir.toString(), "--session", "memory");
    Thread.sleep(2000);
    report.fact("cli", "resident process idle: " + memoryLine(cli, repo.dir));
    int n = Integer.getInteger("bench.residentCheckpoints", config.quick ? 100 : 1000);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      repo.modify(List.of(i % 1000), 1000 + i);
      cli.ok(repo.dir, "checkpoint", "create", "--session", "memory", "--id", "m" + i);
    }
    report.fact("cli", "resident process after " + n + " checkpoints (" + Report.fmt((System.nanoTime() - t0) / 1e6 / n)
        + " ms per './cortex checkpoint create' at 1k files, load " + Bench.loadAverage() + "): " + memoryLine(cli, repo.dir));
    BenchRepo.deleteTree(repo.dir);
  }

  private static String memoryLine(Cli cli, Path dir) {
    return cli.ok(dir, "daemon", "status").lines().filter(l -> l.strip().startsWith("memory")).findFirst()
        .map(l -> l.strip().substring("memory".length()).strip()).orElse("?");
  }

  private static void row(Report report, String key, String operation, String size, double[] cortex, double[] git,
                          String reference, String[] loads, double target) {
    Report.Row row = report.add(key, "cli", operation, size, Stats.of(cortex), Stats.of(git), reference, "");
    StringBuilder perRound = new StringBuilder();
    boolean every = true;
    for (int i = 0; i < cortex.length; i++) {
      double ratio = cortex[i] / git[i];
      every &= ratio <= target;
      perRound.append(String.format(Locale.ROOT, "%s%s/%s ms = %.2f× (load %s)", i == 0 ? "" : "; ",
          Report.fmt(cortex[i]), Report.fmt(git[i]), ratio, loads[i]));
    }
    Stats c = row.cortex();
    report.fact("cli " + size, operation + ": Cortex min/median/max " + Report.fmt(c.min()) + "/" + Report.fmt(c.median())
        + "/" + Report.fmt(c.max()) + " ms; " + reference + " " + Report.fmt(row.reference().min()) + "/"
        + Report.fmt(row.reference().median()) + "/" + Report.fmt(row.reference().max()) + " ms; rounds: " + perRound);
    report.goal(operation + " (" + size + ")", "≤ " + target + "× " + reference + " in every round",
        String.format(Locale.ROOT, "median %.2f×, worst round %.2f×", row.ratio(), worst(cortex, git)), every);
  }

  private static double worst(double[] a, double[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, a[i] / b[i]);
    }
    return worst;
  }

  /** {@code ./cortex --data DIR …} as a user types it, failing on a non-zero exit. */
  private record Cli(Path launcher, Path data) {
    String ok(Path cwd, String... args) {
      List<String> command = new ArrayList<>(List.of(launcher.toString(), "--data", data.toString()));
      command.addAll(List.of(args));
      return Processes.run(cwd, Map.of("CORTEX_DAEMON_IDLE_TIMEOUT", "30m"), command);
    }

    String run(Path cwd, String... args) {
      try {
        return ok(cwd, args);
      } catch (RuntimeException e) {
        return e.getMessage();
      }
    }
  }
}
