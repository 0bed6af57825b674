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
 * refs/cortex/checkpoints/<session>/} with loose and with packed refs. Two worlds side by side:
 * A holds only the measured sessions (1, 100, 1,000 and 10,000 checkpoints), B the same plus
 * 10,000 checkpoints in ten other sessions; each engine and repository of A and B is measured in
 * the same rounds (interleaved), so "unaffected by other sessions" is a direct comparison.
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
    ProcessEngine engineA = Engines.build("listing-alone", true);
    ProcessEngine engineB = Engines.build("listing-others", true);
    try (Cortex a = Cortex.on(engineA); Cortex b = Cortex.on(engineB)) {
      for (int n : COUNTS) {
        insert(engineA, "list-" + n, n, repoA.dir);
        insert(engineB, "list-" + n, n, repoB.dir);
        createRefs(repoA.dir, "list-" + n, n, NativeGit.head(repoA.dir));
        createRefs(repoB.dir, "list-" + n, n, NativeGit.head(repoB.dir));
      }
      for (int s = 0; s < OTHER_SESSIONS; s++) {
        insert(engineB, "other-" + s, OTHER_PER_SESSION, repoB.dir);
        createRefs(repoB.dir, "other-" + s, OTHER_PER_SESSION, NativeGit.head(repoB.dir));
      }
      // JIT warm-up of the listing path.
      for (int i = 0; i < 300; i++) {
        a.checkpoints("list-" + COUNTS[i % 3]);
        b.checkpoints("list-" + COUNTS[i % 3]);
      }
      // The stale-lock check Checkpointer.take and rollbacks now run first walks refs/**: its cost
      // with 21,100 loose refs, then packed.
      Stats lockScanLoose = lockScan(config, repoB.dir);
      Map<Integer, Stats[]> loose = new LinkedHashMap<>();
      Map<Integer, Stats[]> jgitLoose = new LinkedHashMap<>();
      for (int n : COUNTS) {
        loose.put(n, measure(config, n, a, b, repoA.dir, repoB.dir));
        if (n >= 1_000) {
          jgitLoose.put(n, Timer.interleave(config.warmup * 2, reps(config, n), jgit(repoB.dir, n),
              forEachRef(repoB.dir, n)));
        }
      }
      NativeGit.git(repoA.dir, "pack-refs", "--all");
      NativeGit.git(repoB.dir, "pack-refs", "--all");
      Stats lockScanPacked = lockScan(config, repoB.dir);
      Map<Integer, Stats[]> packed = new LinkedHashMap<>();
      Map<Integer, Stats[]> jgitPacked = new LinkedHashMap<>();
      for (int n : COUNTS) {
        packed.put(n, measure(config, n, a, b, repoA.dir, repoB.dir));
        if (n >= 1_000) {
          jgitPacked.put(n, Timer.interleave(config.warmup * 2, reps(config, n), jgit(repoB.dir, n),
              forEachRef(repoB.dir, n)));
        }
      }
      String ref = "git for-each-ref refs/cortex/checkpoints/<s>/";
      for (int n : COUNTS) {
        Stats[] l = loose.get(n);
        Stats[] p = packed.get(n);
        report.add("listing/" + n + "/loose", "listing", "list " + n + " checkpoints (facade), loose refs", "-", l[0], l[2], ref,
            "only the measured sessions");
        report.add("listing/" + n + "/packed", "listing", "list " + n + " checkpoints (facade), packed refs", "-", p[0], p[2], ref,
            "only the measured sessions");
        report.add("listing/" + n + "/loose/others", "listing", "list " + n + " (facade), +10k in other sessions, loose", "-",
            l[1], l[3], ref, "");
        report.add("listing/" + n + "/packed/others", "listing", "list " + n + " (facade), +10k in other sessions, packed", "-",
            p[1], p[3], ref, "");
      }
      for (int n : new int[] {1_000, 10_000}) {
        report.add("listing/" + n + "/jgit/loose", "listing", "refs of " + n + " via JGit (GitWorkspace.checkpointRefs), loose, +10k others",
            "-", jgitLoose.get(n)[0], jgitLoose.get(n)[1], "git for-each-ref", "what rebuild reads");
        report.add("listing/" + n + "/jgit/packed", "listing", "refs of " + n + " via JGit (GitWorkspace.checkpointRefs), packed, +10k others",
            "-", jgitPacked.get(n)[0], jgitPacked.get(n)[1], "git for-each-ref", "what rebuild reads");
      }
      report.add("listing/lockscan/loose", "listing", "GitWorkspace.requireNoGitLocks, 21,100 loose refs", "-", lockScanLoose,
          null, null, "runs before every checkpoint and rollback (a fixed set of lock files, no walk of refs/**)");
      report.add("listing/lockscan/packed", "listing", "GitWorkspace.requireNoGitLocks, same refs packed", "-", lockScanPacked,
          null, null, "");
      String minimal = CheckpointRefs.sessionPrefix("list-1000");
      Stats refnameOnly = Timer.measure(config.warmup * 3, reps(config, 1_000), null,
          i -> NativeGit.git(repoB.dir, "for-each-ref", "--format=%(refname)", minimal));
      report.fact("listing", "git for-each-ref --format=%(refname) (no object lookup), 1000 packed refs, +10k others: median "
          + Report.fmt(refnameOnly.median()) + " ms, p95 " + Report.fmt(refnameOnly.p95()) + " ms (default format: "
          + Report.fmt(packed.get(1_000)[3].median()) + " ms)");
      // Where the facade's time goes: the bare catalogue query in one engine command.
      for (int n : new int[] {1_000, 10_000}) {
        String session = "list-" + n;
        Stats bare = Timer.measure(config.warmup * 5, reps(config, n), null,
            i -> Engines.inCommand(engineB, ctx -> new Catalogue(EngineTransaction.connection(ctx)).checkpoints(session)));
        Stats sessionOnly = Timer.measure(config.warmup * 5, reps(config, n), null, i -> b.session(session));
        report.fact("listing", n + " checkpoints: facade median " + Report.fmt(packed.get(n)[1].median())
            + " ms = session lookup (own command) " + Report.fmt(sessionOnly.median()) + " ms + catalogue query with row mapping "
            + Report.fmt(bare.median()) + " ms (one command)");
      }
      profiles.profile("listing 1000 checkpoints (facade)", 300, null, i -> b.checkpoints("list-1000"));
    } finally {
      engineA.close();
      engineB.close();
    }
  }

  static int reps(Bench.Config config, int n) {
    if (config.quick) {
      return n >= 10_000 ? 5 : 10;
    }
    return n >= 10_000 ? Math.max(10, config.reps) : Math.max(30, config.reps * 2);
  }

  /** Cortex A, Cortex B, for-each-ref A, for-each-ref B for one session size, interleaved. */
  private static Stats[] measure(Bench.Config config, int n, Cortex a, Cortex b, Path repoA, Path repoB) {
    String session = "list-" + n;
    Timer.Op cortexA = i -> check(a.checkpoints(session).size(), n);
    Timer.Op cortexB = i -> check(b.checkpoints(session).size(), n);
    return Timer.interleave(config.warmup * 3, reps(config, n), cortexA, cortexB, forEachRef(repoA, n), forEachRef(repoB, n));
  }

  private static Timer.Op forEachRef(Path repo, int n) {
    String prefix = CheckpointRefs.sessionPrefix("list-" + n);
    return i -> check(NativeGit.git(repo, "for-each-ref", prefix).split("\n").length, n);
  }

  private static Timer.Op jgit(Path repo, int n) {
    String session = "list-" + n;
    return i -> {
      try (GitWorkspace git = GitWorkspace.open(repo)) {
        check(git.checkpointRefs(session).size(), n);
      }
    };
  }

  private static Stats lockScan(Bench.Config config, Path repo) {
    return Timer.measure(config.warmup, config.quick ? 5 : 10, null, i -> {
      try (GitWorkspace git = GitWorkspace.open(repo)) {
        git.requireNoGitLocks("bench");
      }
    });
  }

  private static void check(int got, int expected) {
    if (got != expected) {
      throw new IllegalStateException("listed " + got + " checkpoints, expected " + expected);
    }
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
