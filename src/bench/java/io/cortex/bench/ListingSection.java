package io.cortex.bench;

import io.cortex.Cortex;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.IntegrityHash;
import io.cortex.checkpoint.Session;
import io.cortex.engine.EngineTransaction;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * Listing a session's checkpoints: the catalogue query through the facade
 * ({@code Cortex.checkpoints}) on an in-memory engine, against {@code git for-each-ref
 * refs/cortex/checkpoints/<session>/} with loose and with packed refs; then again with 10,000
 * checkpoints in ten other sessions.
 */
final class ListingSection {

  static final int[] COUNTS = {1, 100, 1_000, 10_000};
  static final int OTHER_SESSIONS = 10;
  static final int OTHER_PER_SESSION = 1_000;

  private ListingSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    BenchRepo repoA = CheckpointSection.generate(config, "listing-alone", 10);
    BenchRepo repoB = CheckpointSection.generate(config, "listing-others", 10);
    String head = NativeGit.head(repoA.dir);
    String headB = NativeGit.head(repoB.dir);
    ProcessEngine engine = Engines.build("listing", true);
    try (Cortex cortex = Cortex.on(engine)) {
      for (int n : COUNTS) {
        insert(engine, "list-" + n, n, repoA.dir);
        createRefs(repoA.dir, "list-" + n, n, head);
        createRefs(repoB.dir, "list-" + n, n, headB);
      }
      // JIT warm-up of the listing path (and of git's page cache), so that the "alone" figures are not
      // slower merely for being measured first.
      for (int i = 0; i < 300; i++) {
        cortex.checkpoints("list-" + COUNTS[i % 3]);
      }
      for (int i = 0; i < 5; i++) {
        cortex.checkpoints("list-10000");
      }
      // 1) no other sessions in git; the catalogue holds only the four measured sessions.
      Map<Integer, Stats> cortexAlone = measureCortex(config, cortex);
      Map<Integer, Stats> looseAlone = measureGit(config, repoA.dir);
      NativeGit.git(repoA.dir, "pack-refs", "--all");
      Map<Integer, Stats> packedAlone = measureGit(config, repoA.dir);
      for (int n : COUNTS) {
        report.add("listing/" + n + "/loose", "listing", "list " + n + " checkpoints (facade) vs for-each-ref, loose refs",
            "-", cortexAlone.get(n), looseAlone.get(n), "git for-each-ref refs/cortex/checkpoints/<s>/", "");
        report.add("listing/" + n + "/packed", "listing", "list " + n + " checkpoints (facade) vs for-each-ref, packed refs",
            "-", cortexAlone.get(n), packedAlone.get(n), "git for-each-ref refs/cortex/checkpoints/<s>/", "");
      }
      // 2) 10,000 checkpoints in ten other sessions.
      for (int s = 0; s < OTHER_SESSIONS; s++) {
        insert(engine, "other-" + s, OTHER_PER_SESSION, repoB.dir);
        createRefs(repoB.dir, "other-" + s, OTHER_PER_SESSION, headB);
      }
      Map<Integer, Stats> cortexOthers = measureCortex(config, cortex);
      Map<Integer, Stats> looseOthers = measureGit(config, repoB.dir);
      Map<Integer, Stats> jgitLoose = measureJGit(config, repoB.dir);
      NativeGit.git(repoB.dir, "pack-refs", "--all");
      Map<Integer, Stats> packedOthers = measureGit(config, repoB.dir);
      Map<Integer, Stats> jgitPacked = measureJGit(config, repoB.dir);
      String minimal = CheckpointRefs.sessionPrefix("list-1000");
      Stats refnameOnly = Timer.measure(config.warmup * 3, reps(config, 1_000), null,
          i -> NativeGit.git(repoB.dir, "for-each-ref", "--format=%(refname)", minimal));
      report.fact("listing", "git for-each-ref --format=%(refname) (no object lookup), 1000 packed refs, +10k others: median "
          + Report.fmt(refnameOnly.median()) + " ms, p95 " + Report.fmt(refnameOnly.p95()) + " ms (default format: "
          + Report.fmt(packedOthers.get(1_000).median()) + " ms)");
      for (int n : COUNTS) {
        report.add("listing/" + n + "/loose/others", "listing", "list " + n + " (facade), +10k in other sessions, loose",
            "-", cortexOthers.get(n), looseOthers.get(n), "git for-each-ref refs/cortex/checkpoints/<s>/", "");
        report.add("listing/" + n + "/packed/others", "listing", "list " + n + " (facade), +10k in other sessions, packed",
            "-", cortexOthers.get(n), packedOthers.get(n), "git for-each-ref refs/cortex/checkpoints/<s>/", "");
      }
      for (int n : new int[] {1_000, 10_000}) {
        report.add("listing/" + n + "/jgit/loose", "listing", "refs of " + n + " via JGit (GitWorkspace.checkpointRefs), loose, +10k others",
            "-", jgitLoose.get(n), looseOthers.get(n), "git for-each-ref", "what rebuild reads");
        report.add("listing/" + n + "/jgit/packed", "listing", "refs of " + n + " via JGit (GitWorkspace.checkpointRefs), packed, +10k others",
            "-", jgitPacked.get(n), packedOthers.get(n), "git for-each-ref", "what rebuild reads");
      }
      // Where the facade's time goes: the bare catalogue query in one engine command.
      for (int n : new int[] {1_000, 10_000}) {
        String session = "list-" + n;
        Stats bare = Timer.measure(config.warmup * 5, reps(config, n), null,
            i -> Engines.inCommand(engine, ctx -> new Catalogue(EngineTransaction.connection(ctx)).checkpoints(session)));
        Stats sessionOnly = Timer.measure(config.warmup * 5, reps(config, n), null, i -> cortex.session(session));
        report.fact("listing", n + " checkpoints: facade median " + Report.fmt(cortexOthers.get(n).median())
            + " ms = session lookup (own command) " + Report.fmt(sessionOnly.median()) + " ms + catalogue query with row mapping "
            + Report.fmt(bare.median()) + " ms (one command)");
      }
      profiles.profile("listing 1000 checkpoints (facade)", 300, null, i -> cortex.checkpoints("list-1000"));
    } finally {
      engine.close();
    }
  }

  static int reps(Bench.Config config, int n) {
    if (config.quick) {
      return n >= 10_000 ? 7 : 20;
    }
    return n >= 10_000 ? Math.max(10, config.reps) : Math.max(30, config.reps * 3);
  }

  private static Map<Integer, Stats> measureCortex(Bench.Config config, Cortex cortex) {
    Map<Integer, Stats> result = new LinkedHashMap<>();
    for (int n : COUNTS) {
      String session = "list-" + n;
      int[] size = {0};
      result.put(n, Timer.measure(config.warmup * 5, reps(config, n), null, i -> size[0] = cortex.checkpoints(session).size()));
      if (size[0] != n) {
        throw new IllegalStateException("listed " + size[0] + " checkpoints of " + session + ", expected " + n);
      }
    }
    return result;
  }

  private static Map<Integer, Stats> measureGit(Bench.Config config, Path repo) {
    Map<Integer, Stats> result = new LinkedHashMap<>();
    for (int n : COUNTS) {
      String prefix = CheckpointRefs.sessionPrefix("list-" + n);
      int[] lines = {0};
      result.put(n, Timer.measure(config.warmup * 3, reps(config, n), null,
          i -> lines[0] = NativeGit.git(repo, "for-each-ref", prefix).split("\n").length));
      if (lines[0] != n) {
        throw new IllegalStateException("for-each-ref listed " + lines[0] + " refs of " + prefix + ", expected " + n);
      }
    }
    return result;
  }

  private static Map<Integer, Stats> measureJGit(Bench.Config config, Path repo) {
    Map<Integer, Stats> result = new LinkedHashMap<>();
    for (int n : new int[] {1_000, 10_000}) {
      String session = "list-" + n;
      result.put(n, Timer.measure(config.warmup * 5, reps(config, n), null, i -> {
        try (GitWorkspace git = GitWorkspace.open(repo)) {
          if (git.checkpointRefs(session).size() != n) {
            throw new IllegalStateException("JGit listed the wrong number of refs for " + session);
          }
        }
      }));
    }
    return result;
  }

  /** A session row and {@code n} realistic checkpoint rows (PHASE_END with metrics), 1,000 per transaction. */
  private static void insert(ProcessEngine engine, String session, int n, Path repo) {
    Instant created = Instant.parse("2025-01-01T00:00:00Z");
    Engines.inCommand(engine, ctx -> {
      EngineTransaction.catalogue(ctx).insertSession(new Session(session, "bench", null, repo, created));
      return null;
    });
    for (int from = 0; from < n; from += 1_000) {
      int start = from;
      Engines.inCommand(engine, ctx -> {
        Catalogue catalogue = EngineTransaction.catalogue(ctx);
        for (int i = start; i < Math.min(n, start + 1_000); i++) {
          String phase = List.of("RED", "GREEN", "REFACTOR").get(i % 3);
          Map<String, Object> metrics = new LinkedHashMap<>();
          metrics.put("tests_passing", i);
          metrics.put("coverage", 0.8);
          Checkpoint draft = new Checkpoint(session, phase.toLowerCase() + "-" + (i + 1), i + 1, CheckpointType.PHASE_END,
              phase, "pi-" + session, "act-" + i, hex(i, 'b'), hex(i, 'c'), "main", created.plusSeconds(i), metrics,
              List.of(), null);
          catalogue.insert(new Checkpoint(draft.sessionId(), draft.checkpointId(), draft.sequence(), draft.type(),
              draft.phase(), draft.processInstanceId(), draft.activityInstanceId(), draft.baseCommit(),
              draft.snapshotCommit(), draft.branch(), draft.createdAt(), draft.metrics(), draft.skipped(),
              IntegrityHash.of(draft)));
        }
        return null;
      });
    }
  }

  private static String hex(int i, char fill) {
    String s = Integer.toHexString(i);
    return String.valueOf(fill).repeat(40 - s.length()) + s;
  }

  /** {@code n} loose refs refs/cortex/checkpoints/<session>/cp-<i> in one {@code update-ref --stdin}. */
  private static void createRefs(Path repo, String session, int n, String commit) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append("create ").append(CheckpointRefs.refName(session, "cp-" + i)).append(' ').append(commit).append('\n');
    }
    NativeGit.git(repo, Map.of(), sb.toString().getBytes(StandardCharsets.UTF_8), "update-ref", "--stdin");
  }
}
