package io.cortex.bench;

import io.cortex.git.CapturedTree;
import java.nio.file.Path;
import java.util.List;

/**
 * Checkpoint creation, Cortex ({@code GitWorkspace.open + captureWorkingTree + commitSnapshot +
 * writeRef + close}) against the native temporary-index snapshot, for four change profiles, and
 * a no-op checkpoint against {@code git status --porcelain}.
 */
final class CheckpointSection {

  enum Change {
    NOTHING("nothing changed"), ONE("1 file changed"), ONE_PERCENT("1% of files changed"), UNTRACKED("100 new untracked files");

    final String label;

    Change(String label) {
      this.label = label;
    }
  }

  private CheckpointSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    warmUp(config);
    for (int size : config.sizes) {
      BenchRepo repo = repo(config, size);
      for (Change change : Change.values()) {
        measure(config, report, repo, "checkpoint", "checkpoint: " + change.label, change, "checkpoint/" + size + "/" + change.name());
      }
      // A no-op checkpoint against git status --porcelain (what a "has anything changed?" check costs natively).
      int[] n = {0};
      Stats[] noop = Timer.pair(config.warmup(size), config.reps(size), null,
          i -> CortexGit.checkpoint(repo.dir, "noop", "c" + n[0]++, null),
          null, i -> NativeGit.git(repo.dir, "status", "--porcelain"));
      report.add("noop/" + size, "checkpoint", "no-op checkpoint vs git status --porcelain", label(size), noop[0], noop[1],
          "git status --porcelain", "");
      if (size == 10_000) {
        statFloor(config, report, repo);
      }
      if (size == config.largestBelow50k() || size == 10_000) {
        int[] k = {0};
        profiles.profile("checkpoint " + label(size) + " nothing changed", size >= 50_000 ? 10 : 40, null,
            i -> CortexGit.checkpoint(repo.dir, "prof", "p" + k[0]++, null));
        List<Integer> onePercent = repo.pick(Math.max(1, size / 100), 2);
        profiles.profile("checkpoint " + label(size) + " 1% changed", size >= 50_000 ? 10 : 30,
            i -> repo.modify(onePercent, 5000 + i), i -> CortexGit.checkpoint(repo.dir, "prof", "q" + k[0]++, null));
        repo.clean();
      }
    }
  }

  /**
   * The floor of a no-op capture from Java: one lstat per tracked file (what the tree walk and
   * git's index refresh both do), on one thread and split over two (git's preload-index runs the
   * refresh on up to 20 threads).
   */
  static void statFloor(Bench.Config config, Report report, BenchRepo repo) throws Exception {
    List<java.nio.file.Path> paths = new java.util.ArrayList<>();
    for (int i = 0; i < repo.files; i++) {
      paths.add(repo.dir.resolve(BenchRepo.path(i)));
    }
    Timer.Op one = i -> {
      for (java.nio.file.Path p : paths) {
        java.nio.file.Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    };
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      Timer.Op two = i -> {
        int half = paths.size() / 2;
        java.util.concurrent.Future<?> f = pool.submit(() -> {
          for (java.nio.file.Path p : paths.subList(0, half)) {
            try {
              java.nio.file.Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class,
                  java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        });
        for (java.nio.file.Path p : paths.subList(half, paths.size())) {
          java.nio.file.Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
        f.get();
      };
      Stats[] s = Timer.interleave(config.warmup * 3, config.reps, one, two);
      report.fact("checkpoint " + label(repo.files), String.format(java.util.Locale.ROOT, "lstat floor: %d tracked files,"
              + " Files.readAttributes(NOFOLLOW_LINKS) on 1 thread %s ms, split over 2 threads %s ms (medians)", repo.files,
          Report.fmt(s[0].median()), Report.fmt(s[1].median())));
    } finally {
      pool.shutdownNow();
    }
  }

  /** "Warm JVM": JIT-compile the capture, commit, ref and restore paths before anything is timed. */
  static void warmUp(Bench.Config config) throws Exception {
    long t0 = System.nanoTime();
    BenchRepo repo = generate(config, "jit-warmup", 1_000);
    List<Integer> some = repo.pick(10, 3);
    String clean = CortexGit.checkpoint(repo.dir, "warm", "clean", null);
    String head = NativeGit.head(repo.dir);
    for (int i = 0; i < 60; i++) {
      repo.modify(some, i + 1);
      if (i % 3 == 0) {
        repo.addUntracked(20, i);
      }
      CortexGit.checkpoint(repo.dir, "warm", "w" + i, null);
      if (i % 10 == 0) {
        CortexGit.restore(repo.dir, clean, head);
        repo.markClean();
        repo.clean();
      }
    }
    BenchRepo.deleteTree(repo.dir);
    Bench.out.printf("  JIT warm-up: 60 checkpoints and 6 restores on 1k files in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static final java.util.Map<Integer, BenchRepo> REPOS = new java.util.HashMap<>();

  /** The clean checkpoint repository of {@code size} files (generated once per run). */
  static BenchRepo repo(Bench.Config config, int size) throws Exception {
    BenchRepo repo = REPOS.get(size);
    if (repo == null) {
      repo = generate(config, "checkpoint-" + size, size);
      REPOS.put(size, repo);
    }
    return repo;
  }

  static BenchRepo generate(Bench.Config config, String name, int size) throws Exception {
    long t0 = System.nanoTime();
    BenchRepo repo = BenchRepo.generate(Bench.repoDir(config, name), size, 42L + size);
    Bench.out.printf("  generated %s: %d files in %.1f s%n", name, size, (System.nanoTime() - t0) / 1e9);
    return repo;
  }

  static String label(int size) {
    return size % 1000 == 0 ? size / 1000 + "k" : String.valueOf(size);
  }

  /** Measures one change profile on {@code repo} and cleans it afterwards. */
  static void measure(Bench.Config config, Report report, BenchRepo repo, String section, String operation, Change change,
                      String key) throws Exception {
    int size = repo.files;
    List<Integer> targets = switch (change) {
      case ONE -> repo.pick(1, 1);
      case ONE_PERCENT -> repo.pick(Math.max(1, size / 100), 2);
      default -> List.of();
    };
    Timer.Op setupCortex = i -> apply(repo, change, targets, 2 * i + 1);
    Timer.Op setupNative = i -> apply(repo, change, targets, 2 * i + 2);
    String session = "bench-" + change.name().toLowerCase().replace('_', '-');
    CortexGit.Breakdown breakdown = new CortexGit.Breakdown();
    // Sanity check: what the capture has to hash for this profile (0 for "nothing": the index stat data is trusted).
    apply(repo, change, targets, 999);
    CapturedTree probe = CortexGit.capture(repo.dir);
    int nativeChanged = NativeGit.git(repo.dir, "status", "--porcelain", "-uall").split("\n", -1).length - 1;
    Stats[] s = Timer.pair(config.warmup(size), config.reps(size),
        setupCortex, i -> CortexGit.checkpoint(repo.dir, session, "c" + i, breakdown),
        setupNative, i -> NativeGit.checkpoint(repo.dir, "refs/native/" + session + "/n" + i, "native checkpoint " + i));
    report.add(key, section, operation, label(size), s[0], s[1], "tmp index: add -A, write-tree, commit-tree, update-ref",
        "hashed " + probe.hashedCount() + "/" + probe.fileCount() + (probe.skipped().isEmpty() ? "" : ", skipped "
        + probe.skipped().size()) + "; git status lines " + nativeChanged);
    report.fact(section + " " + label(size), operation + ": Cortex " + breakdown.summary());
    repo.clean();
  }

  static void apply(BenchRepo repo, Change change, List<Integer> targets, int version) throws Exception {
    switch (change) {
      case ONE, ONE_PERCENT -> repo.modify(targets, version);
      case UNTRACKED -> repo.addUntracked(100, version);
      default -> { }
    }
  }

  static Path dir(BenchRepo repo) {
    return repo.dir;
  }
}
