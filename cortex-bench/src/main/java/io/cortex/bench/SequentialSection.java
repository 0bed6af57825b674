package io.cortex.bench;

import io.cortex.Cortex;
import io.cortex.checkpoint.Session;
import io.cortex.engine.EngineTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * 100 / 1,000 checkpoints in a row on a 1k-file repository, one file edited before each: drift
 * of the per-checkpoint time (p95 of the first window against the last), loose objects and .git
 * growth. Three series on three identical repositories: Cortex at the git level, Cortex through
 * the facade ({@code Cortex.createCheckpoint}, catalogue included), native.
 */
final class SequentialSection {

  static final int SIZE = 1_000;

  interface Step {
    void checkpoint(int i) throws Exception;
  }

  record Series(String name, Stats all, String growth) {
  }

  private SequentialSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    int count = config.sequential;
    int window = count >= 1_000 ? 100 : 20;
    // JIT warm-up on a scratch repository so that the first window measures git, not the compiler.
    BenchRepo scratch = CheckpointSection.generate(config, "seq-warmup", SIZE);
    List<Integer> scratchFile = scratch.pick(1, 1);
    for (int i = 0; i < 30; i++) {
      scratch.modify(scratchFile, i + 1);
      CortexGit.checkpoint(scratch.dir, "warm", "w" + i, null);
      NativeGit.checkpoint(scratch.dir, "refs/native/warm/w" + i, "warm " + i);
    }

    BenchRepo gitRepo = CheckpointSection.generate(config, "seq-git", SIZE);
    BenchRepo facadeRepo = CheckpointSection.generate(config, "seq-facade", SIZE);
    BenchRepo nativeRepo = CheckpointSection.generate(config, "seq-native", SIZE);
    ProcessEngine engine = Engines.build("sequential", true);
    Series git;
    Series facade;
    Series nativeSeries;
    try (Cortex cortex = Cortex.on(engine)) {
      for (String s : new String[] {"seq-warm", "seq"}) {
        Engines.inCommand(engine, ctx -> {
          EngineTransaction.catalogue(ctx).insertSession(new Session(s, "bench", null,
              s.equals("seq") ? facadeRepo.dir : scratch.dir, Instant.now()));
          return null;
        });
      }
      for (int i = 0; i < 30; i++) {
        scratch.modify(scratchFile, 100 + i);
        cortex.createCheckpoint("seq-warm", null, Map.of("i", i));
      }
      // The three series advance together, one checkpoint each in turn (rotating order), so that a
      // change of machine load during the run shows in all three alike; native is the control.
      Series[] series = series(count, window, new String[] {"Cortex git level", "Cortex facade (createCheckpoint)", "native"},
          new BenchRepo[] {gitRepo, facadeRepo, nativeRepo}, new Step[] {
              i -> CortexGit.checkpoint(gitRepo.dir, "seq", "cp-" + i, null),
              i -> cortex.createCheckpoint("seq", null, Map.of("tests_passing", i)),
              i -> NativeGit.checkpoint(nativeRepo.dir, "refs/native/seq/cp-" + i, "native checkpoint " + i)});
      git = series[0];
      facade = series[1];
      nativeSeries = series[2];
      if (count >= 1_000) {
        profiles.profile("facade checkpoint after " + count + " checkpoints (1 file changed)", 50,
            i -> facadeRepo.modify(facadeRepo.pick(1, 1), 50_000 + i),
            i -> cortex.createCheckpoint("seq", null, Map.of("tests_passing", i)));
      }
    } finally {
      engine.close();
    }

    String first = "checkpoints 1-" + window;
    String last = "checkpoints " + (count - window + 1) + "-" + count;
    for (Series s : new Series[] {git, facade}) {
      String key = s == git ? "git" : "facade";
      report.add("sequential/" + key + "/first", "sequential", s.name() + ": " + first + " of " + count, "1k",
          s.all().slice(0, window), nativeSeries.all().slice(0, window), "native checkpoint", "");
      report.add("sequential/" + key + "/last", "sequential", s.name() + ": " + last + " of " + count, "1k",
          s.all().slice(count - window, count), nativeSeries.all().slice(count - window, count), "native checkpoint", "");
    }
    double nativeDrift = nativeSeries.all().slice(count - window, count).p95() / nativeSeries.all().slice(0, window).p95();
    for (Series s : new Series[] {git, facade, nativeSeries}) {
      Stats a = s.all().slice(0, window);
      Stats b = s.all().slice(count - window, count);
      report.fact("sequential", String.format(Locale.ROOT, "%s: p95 %s -> %s ms (%.2fx; %.2fx relative to native's drift),"
              + " median %s -> %s ms; %s", s.name(), Report.fmt(a.p95()), Report.fmt(b.p95()), b.p95() / a.p95(),
          b.p95() / a.p95() / nativeDrift, Report.fmt(a.median()), Report.fmt(b.median()), s.growth()));
    }
    for (BenchRepo r : new BenchRepo[] {scratch, gitRepo, facadeRepo, nativeRepo}) {
      BenchRepo.deleteTree(r.dir);
    }
  }

  private static Series[] series(int count, int window, String[] names, BenchRepo[] repos, Step[] steps) throws Exception {
    int k = steps.length;
    double[][] ms = new double[k][count];
    long[] sizeBefore = new long[k];
    List<Map<String, Long>> before = new java.util.ArrayList<>();
    String[] atWindow = new String[k];
    List<List<Integer>> files = new java.util.ArrayList<>();
    for (int s = 0; s < k; s++) {
      sizeBefore[s] = BenchRepo.sizeOf(repos[s].dir.resolve(".git"));
      before.add(NativeGit.countObjects(repos[s].dir));
      files.add(repos[s].pick(1, 1));
      atWindow[s] = "";
    }
    for (int i = 0; i < count; i++) {
      for (int r = 0; r < k; r++) {
        int s = (i + r) % k;
        repos[s].modify(files.get(s), i + 1);
        int n = i;
        ms[s][i] = Timer.time(x -> steps[s].checkpoint(n), i);
      }
      if (i + 1 == window && window < count) {
        for (int s = 0; s < k; s++) {
          atWindow[s] = "after " + (i + 1) + ": " + growth(repos[s], before.get(s), sizeBefore[s]) + "; ";
        }
      }
    }
    Series[] result = new Series[k];
    for (int s = 0; s < k; s++) {
      result[s] = new Series(names[s], Stats.of(ms[s]), atWindow[s] + "after " + count + ": "
          + growth(repos[s], before.get(s), sizeBefore[s]));
    }
    return result;
  }

  private static String growth(BenchRepo repo, Map<String, Long> before, long sizeBefore) throws Exception {
    Map<String, Long> now = NativeGit.countObjects(repo.dir);
    long gitSize = BenchRepo.sizeOf(repo.dir.resolve(".git"));
    long looseRefs;
    try (var walk = java.nio.file.Files.walk(repo.dir.resolve(".git/refs"))) {
      looseRefs = walk.filter(java.nio.file.Files::isRegularFile).count();
    }
    return String.format(Locale.ROOT, "loose objects %d -> %d, packs %d, loose refs %d, .git %.1f -> %.1f MiB (+%.1f)",
        before.get("count"), now.get("count"), now.get("packs"), looseRefs, sizeBefore / 1048576.0, gitSize / 1048576.0,
        (gitSize - sizeBefore) / 1048576.0);
  }
}
