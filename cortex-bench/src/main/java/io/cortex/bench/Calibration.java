package io.cortex.bench;

import java.nio.file.Path;

/** What one git process costs from Java on this machine: the floor under every native figure. */
final class Calibration {

  private Calibration() {
  }

  static void run(Bench.Config config, Report report) throws Exception {
    Path dir = Bench.repoDir(config, "calibration");
    BenchRepo.generate(dir, 10, 1);
    Stats version = Timer.measure(5, 30, null, i -> NativeGit.git(dir, "--version"));
    Stats revParse = Timer.measure(5, 30, null, i -> NativeGit.git(dir, "rev-parse", "HEAD"));
    report.add("calibration/spawn", "calibration", "one process: git --version (ProcessBuilder)", "-", null, version,
        "git --version", "process spawn floor");
    report.add("calibration/rev-parse", "calibration", "one process: git rev-parse HEAD", "-", null, revParse,
        "git rev-parse HEAD", "");
  }
}
