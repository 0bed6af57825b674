package io.cortex.bench;

/**
 * The repository variants at the largest size below 50k (10k files by default): an ignored
 * node_modules folder, a 200 MiB untracked binary, a nested repository.
 */
final class VariantSection {

  private VariantSection() {
  }

  interface Variant {
    void addTo(BenchRepo repo) throws Exception;
  }

  static void run(Bench.Config config, Report report) throws Exception {
    int size = config.largestBelow50k();
    if (config.nodeModules) {
      variant(config, report, size, "ignored node_modules (" + config.nodeModulesFiles / 1000 + "k files)", "node-modules",
          repo -> repo.addIgnoredDependencies(config.nodeModulesFiles));
    } else {
      report.fact("variants", "ignored node_modules variant skipped (opt in with -Dbench.nodeModules=true)");
    }
    if (config.bigBinary) {
      variant(config, report, size, "untracked " + config.bigBinaryBytes / (1024 * 1024) + " MiB binary", "big-binary",
          repo -> repo.addBigBinary(config.bigBinaryBytes));
    } else {
      report.fact("variants", "200 MiB binary variant skipped (opt in with -Dbench.bigBinary=true)");
    }
    variant(config, report, size, "nested repository (200 files)", "nested", repo -> repo.addNestedRepository(200));
  }

  private static void variant(Bench.Config config, Report report, int size, String label, String name, Variant variant)
      throws Exception {
    BenchRepo repo = CheckpointSection.generate(config, "variant-" + name, size);
    long t0 = System.nanoTime();
    variant.addTo(repo);
    Bench.out.printf("  added variant %s in %.1f s%n", label, (System.nanoTime() - t0) / 1e9);
    // The big binary makes every native run hash 200 MiB: fewer repetitions.
    Bench.Config c = config;
    for (CheckpointSection.Change change : new CheckpointSection.Change[] {CheckpointSection.Change.NOTHING,
        CheckpointSection.Change.ONE}) {
      CheckpointSection.measure(name.equals("big-binary") ? new Fewer(c) : c, report, repo, "variants",
          label + ": checkpoint, " + change.label, change, "variant/" + name + "/" + change.name());
    }
    BenchRepo.deleteTree(repo.dir);
  }

  /** The same options with fewer repetitions. */
  private static final class Fewer extends Bench.Config {
    private final Bench.Config base;

    Fewer(Bench.Config base) {
      this.base = base;
    }

    @Override
    int reps(int files) {
      return Math.min(5, base.reps(files));
    }

    @Override
    int warmup(int files) {
      return 1;
    }
  }
}
