package io.cortex.bench;

import io.cortex.git.CommitHistory;
import io.cortex.git.GitWorkspace;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * History: {@code CommitHistory.log} (new instance: cold cache; shared instance: warm cache),
 * opening the repository each call as {@code Cortex.history} does, against {@code git log -N}.
 */
final class HistorySection {

  static final int COMMITS = 1_200;
  static final String FORMAT = "--format=%H%x1f%h%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%P";

  private HistorySection() {
  }

  static void run(Bench.Config config, Report report) throws Exception {
    Path repo = Bench.repoDir(config, "history");
    BenchRepo.deleteTree(repo);
    Files.createDirectories(repo);
    NativeGit.git(repo, "init", "-q", "-b", "main");
    NativeGit.git(repo, "config", "gc.auto", "0");
    NativeGit.git(repo, Map.of(), fastImport(COMMITS), "fast-import", "--quiet");
    NativeGit.git(repo, "reset", "-q", "--hard");
    int reps = Math.max(30, config.reps * 3);
    CommitHistory shared = new CommitHistory();
    for (int n : new int[] {20, 1_000}) {
      Stats[] cold = Timer.pair(config.warmup * 5, reps, null, i -> {
        try (GitWorkspace git = GitWorkspace.open(repo)) {
          check(new CommitHistory().log(git, n).size(), n);
        }
      }, null, i -> check(NativeGit.git(repo, "log", "-" + n, FORMAT).split("\n").length, n));
      Stats warm = Timer.measure(config.warmup * 5, reps, null, i -> {
        try (GitWorkspace git = GitWorkspace.open(repo)) {
          check(shared.log(git, n).size(), n);
        }
      });
      report.add("history/" + n + "/cold", "history", "history of " + n + " commits, CommitHistory cache cold", "-", cold[0],
          cold[1], "git log -" + n + " --format=...", "warm JVM; repository opened per call");
      report.add("history/" + n + "/warm", "history", "history of " + n + " commits, CommitHistory cache warm", "-", warm,
          cold[1], "git log -" + n + " --format=...", "HEAD unchanged since the last call");
    }
  }

  private static void check(int got, int expected) {
    if (got != expected) {
      throw new IllegalStateException("history returned " + got + " commits, expected " + expected);
    }
  }

  /** A linear history of {@code commits} commits, each changing one of 50 files, at fixed dates. */
  private static byte[] fastImport(int commits) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long time = 1_700_000_000L;
    for (int i = 1; i <= commits; i++) {
      String message = "Change " + i + ": adjust module " + (i % 50) + "\n";
      String content = "version " + i + " of file " + (i % 50) + "\n" + "x".repeat(200 + i % 300) + "\n";
      StringBuilder sb = new StringBuilder();
      sb.append("commit refs/heads/main\n").append("mark :").append(i).append('\n');
      sb.append("author Bench <bench@localhost> ").append(time + i * 60).append(" +0000\n");
      sb.append("committer Bench <bench@localhost> ").append(time + i * 60).append(" +0000\n");
      byte[] msg = message.getBytes(StandardCharsets.UTF_8);
      sb.append("data ").append(msg.length).append('\n').append(message);
      if (i > 1) {
        sb.append("from :").append(i - 1).append('\n');
      }
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      sb.append("M 100644 inline src/file").append(i % 50).append(".txt\n");
      sb.append("data ").append(data.length).append('\n').append(content).append('\n');
      out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
