package io.cortex.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Rollback: Cortex {@code GitWorkspace.restoreSnapshot} against native {@code read-tree -u --reset
 * <tree>} + {@code clean -fd} + {@code update-ref HEAD}, from four kinds of damage back to a clean
 * snapshot, and undo (back to the state before the rollback).
 */
final class RollbackSection {

  enum Damage {
    ONE("1 file changed"), ONE_PERCENT("1% of files changed"), ALL("all files changed"), UNTRACKED("100 untracked files to remove");

    final String label;

    Damage(String label) {
      this.label = label;
    }
  }

  private RollbackSection() {
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    List<Integer> sizes = new ArrayList<>(config.sizes);
    if (!Boolean.getBoolean("bench.rollback50k")) {
      sizes.removeIf(s -> s >= 50_000);
    }
    Bench.out.println("  sizes " + sizes + (config.sizes.contains(50_000) && !sizes.contains(50_000)
        ? " (50k opt-in: -Dbench.rollback50k=true)" : "") + (config.quick ? "; quick mode: no 'all files changed' above 1k" : ""));
    for (int size : sizes) {
      BenchRepo repo = CheckpointSection.generate(config, "rollback-" + size, size);
      String base = NativeGit.head(repo.dir);
      String cleanSnapshot = CortexGit.checkpoint(repo.dir, "rb", "clean", null);
      String cleanTree = NativeGit.treeOf(repo.dir, base);
      if (!NativeGit.treeOf(repo.dir, cleanSnapshot).equals(cleanTree)) {
        throw new IllegalStateException("Cortex's snapshot of the clean tree differs from HEAD's tree");
      }
      String label = CheckpointSection.label(size);
      int reps = Math.max(5, config.reps(size) / 2);
      for (Damage damage : Damage.values()) {
        if (damage == Damage.ALL && config.quick && size > 1_000) {
          continue;
        }
        List<Integer> targets = targets(repo, damage);
        int r = damage == Damage.ALL ? (size > 1_000 ? 3 : 5) : reps;
        int[] written = {0};
        Stats[] s = Timer.pair(1, r,
            i -> damage(repo, damage, targets, 2 * i + 1),
            i -> {
              written[0] = CortexGit.restore(repo.dir, cleanSnapshot, base).written().size();
              repo.markClean();
            },
            i -> damage(repo, damage, targets, 2 * i + 2),
            i -> {
              NativeGit.restore(repo.dir, cleanTree, base);
              repo.markClean();
            });
        report.add("rollback/" + size + "/" + damage.name(), "rollback", "rollback: " + damage.label, label, s[0], s[1],
            "read-tree -u --reset + clean -fd + update-ref", "Cortex wrote " + written[0] + " files");
        repo.clean();
        verifyClean(repo);
      }
      // Undo: back to the state the pre-rollback checkpoint captured (1% of files changed).
      List<Integer> targets = targets(repo, Damage.ONE_PERCENT);
      String[] pre = new String[1];
      String[] preTree = new String[1];
      Stats[] undo = Timer.pair(1, reps,
          i -> {
            repo.modify(targets, 2 * i + 1);
            pre[0] = CortexGit.checkpoint(repo.dir, "rb", "pre-" + i, null);
            CortexGit.restore(repo.dir, cleanSnapshot, base);
          },
          i -> CortexGit.restore(repo.dir, pre[0], base),
          i -> {
            repo.modify(targets, 2 * i + 2);
            String commit = NativeGit.checkpoint(repo.dir, "refs/native/rb/pre-" + i, "pre-rollback " + i);
            preTree[0] = NativeGit.treeOf(repo.dir, commit);
            NativeGit.restore(repo.dir, cleanTree, base);
          },
          i -> NativeGit.restore(repo.dir, preTree[0], base));
      report.add("rollback/" + size + "/UNDO", "rollback", "undo (back to pre-rollback, 1% changed)", label, undo[0], undo[1],
          "read-tree -u --reset + clean -fd + update-ref", "");
      CortexGit.restore(repo.dir, cleanSnapshot, base);
      repo.markClean();
      repo.clean();
      if (size == 1_000) {
        List<Integer> all = targets(repo, Damage.ALL);
        profiles.profile("rollback 1k all files changed", 5, i -> repo.modify(all, 9000 + i),
            i -> CortexGit.restore(repo.dir, cleanSnapshot, base));
        repo.markClean();
        repo.clean();
      }
      if (size == 10_000) {
        List<Integer> onePercent = targets(repo, Damage.ONE_PERCENT);
        profiles.profile("rollback 10k 1% changed", 20, i -> repo.modify(onePercent, 9100 + i),
            i -> CortexGit.restore(repo.dir, cleanSnapshot, base));
        repo.markClean();
        repo.clean();
      }
      BenchRepo.deleteTree(repo.dir);
    }
    if (!config.quick) {
      fileSystemFloor(config, report, config.largestBelow50k());
    }
  }

  /**
   * What rewriting files costs on this file system, without git: {@code files} files of 2 KB,
   * rewritten as a checkout does (unlink, create, write) and in place (truncate, write), each
   * round flushed with sync before the next.
   */
  private static void fileSystemFloor(Bench.Config config, Report report, int files) throws Exception {
    java.nio.file.Path dir = Bench.repoDir(config, "fs-floor");
    BenchRepo.deleteTree(dir);
    byte[] data = new byte[2048];
    java.util.Arrays.fill(data, (byte) 'x');
    for (int i = 0; i < files; i++) {
      java.nio.file.Path f = dir.resolve("d" + i / 25).resolve("f" + i);
      if (i % 25 == 0) {
        java.nio.file.Files.createDirectories(f.getParent());
      }
      java.nio.file.Files.write(f, data);
    }
    Processes.run(dir, List.of("sync"));
    Timer.Op unlinkCreate = i -> {
      for (int k = 0; k < files; k++) {
        java.nio.file.Path f = dir.resolve("d" + k / 25).resolve("f" + k);
        java.nio.file.Files.deleteIfExists(f);
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(f)) {
          out.write(data);
        }
      }
    };
    Timer.Op truncate = i -> {
      for (int k = 0; k < files; k++) {
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(dir.resolve("d" + k / 25).resolve("f" + k))) {
          out.write(data);
        }
      }
    };
    Timer.Op sync = i -> Processes.run(dir, List.of("sync"));
    Stats[] s = Timer.interleave(1, 3, i -> {
      unlinkCreate.run(i);
      sync.run(i);
    }, i -> {
      truncate.run(i);
      sync.run(i);
    });
    report.fact("rollback", String.format(java.util.Locale.ROOT, "file-system floor, %d files of 2 KB from Java: unlink +"
        + " create + write %s ms, truncate + write in place %s ms (medians of 3, each including a sync)", files,
        Report.fmt(s[0].median()), Report.fmt(s[1].median())));
    BenchRepo.deleteTree(dir);
  }

  private static List<Integer> targets(BenchRepo repo, Damage damage) {
    return switch (damage) {
      case ONE -> repo.pick(1, 1);
      case ONE_PERCENT -> repo.pick(Math.max(1, repo.files / 100), 2);
      case ALL -> IntStream.range(0, repo.files).boxed().toList();
      case UNTRACKED -> List.of();
    };
  }

  private static void damage(BenchRepo repo, Damage damage, List<Integer> targets, int version) throws Exception {
    if (damage == Damage.UNTRACKED) {
      repo.addUntracked(100, version);
    } else {
      repo.modify(targets, version);
    }
    // Flush the damage to disk before the timed restore: otherwise the kernel's writeback of up to
    // 20 MB of dirty pages lands in whichever restore happens to run next.
    Processes.run(repo.dir, List.of("sync"));
  }

  private static void verifyClean(BenchRepo repo) {
    String status = NativeGit.git(repo.dir, "status", "--porcelain");
    if (!status.isBlank()) {
      throw new IllegalStateException("Rollback left changes in " + repo.dir + ":\n" + status);
    }
  }
}
