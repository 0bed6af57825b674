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
  }

  private static void verifyClean(BenchRepo repo) {
    String status = NativeGit.git(repo.dir, "status", "--porcelain");
    if (!status.isBlank()) {
      throw new IllegalStateException("Rollback left changes in " + repo.dir + ":\n" + status);
    }
  }
}
