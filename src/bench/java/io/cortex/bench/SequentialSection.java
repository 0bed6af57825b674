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
    Series git = series("Cortex git level", gitRepo, count, window,
        i -> CortexGit.checkpoint(gitRepo.dir, "seq", "cp-" + i, null));

    BenchRepo facadeRepo = CheckpointSection.generate(config, "seq-facade", SIZE);
    ProcessEngine engine = Engines.build("sequential", true);
    Series facade;
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
      facade = series("Cortex facade (createCheckpoint)", facadeRepo, count, window,
          i -> cortex.createCheckpoint("seq", null, Map.of("tests_passing", i)));
      if (count >= 1_000) {
        profiles.profile("facade checkpoint after " + count + " checkpoints (1 file changed)", 50,
            i -> facadeRepo.modify(facadeRepo.pick(1, 1), 50_000 + i),
            i -> cortex.createCheckpoint("seq", null, Map.of("tests_passing", i)));
      }
    } finally {
      engine.close();
    }

    BenchRepo nativeRepo = CheckpointSection.generate(config, "seq-native", SIZE);
    Series nativeSeries = series("native", nativeRepo, count, window,
        i -> NativeGit.checkpoint(nativeRepo.dir, "refs/native/seq/cp-" + i, "native checkpoint " + i));

    String first = "checkpoints 1-" + window;
    String last = "checkpoints " + (count - window + 1) + "-" + count;
    for (Series s : new Series[] {git, facade}) {
      String key = s == git ? "git" : "facade";
      report.add("sequential/" + key + "/first", "sequential", s.name() + ": " + first + " of " + count, "1k",
          s.all().slice(0, window), nativeSeries.all().slice(0, window), "native checkpoint", "");
      report.add("sequential/" + key + "/last", "sequential", s.name() + ": " + last + " of " + count, "1k",
          s.all().slice(count - window, count), nativeSeries.all().slice(count - window, count), "native checkpoint", "");
    }
    for (Series s : new Series[] {git, facade, nativeSeries}) {
      Stats a = s.all().slice(0, window);
      Stats b = s.all().slice(count - window, count);
      report.fact("sequential", String.format(Locale.ROOT, "%s: p95 %s -> %s ms (%.2fx), median %s -> %s ms; %s", s.name(),
          Report.fmt(a.p95()), Report.fmt(b.p95()), b.p95() / a.p95(), Report.fmt(a.median()), Report.fmt(b.median()),
          s.growth()));
    }
    for (BenchRepo r : new BenchRepo[] {scratch, gitRepo, facadeRepo, nativeRepo}) {
      BenchRepo.deleteTree(r.dir);
    }
  }

  private static Series series(String name, BenchRepo repo, int count, int window, Step step) throws Exception {
    List<Integer> file = repo.pick(1, 1);
    long sizeBefore = BenchRepo.sizeOf(repo.dir.resolve(".git"));
    Map<String, Long> before = NativeGit.countObjects(repo.dir);
    double[] ms = new double[count];
    String atWindow = "";
    for (int i = 0; i < count; i++) {
      repo.modify(file, i + 1);
      int n = i;
      ms[i] = Timer.time(x -> step.checkpoint(n), i);
      if (i + 1 == window && window < count) {
        atWindow = "after " + (i + 1) + ": " + growth(repo, before, sizeBefore) + "; ";
      }
    }
    String growth = atWindow + "after " + count + ": " + growth(repo, before, sizeBefore);
    return new Series(name, Stats.of(ms), growth);
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
