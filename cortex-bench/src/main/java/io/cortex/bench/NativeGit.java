package io.cortex.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The native reference: the {@code git} command line, run with {@link ProcessBuilder} as a script would. */
final class NativeGit {

  /** Fixed identity and locale; no system config (there is none on the bench machine either). */
  static final Map<String, String> BASE_ENV = Map.of(
      "GIT_AUTHOR_NAME", "Bench", "GIT_AUTHOR_EMAIL", "bench@localhost",
      "GIT_COMMITTER_NAME", "Bench", "GIT_COMMITTER_EMAIL", "bench@localhost",
      "LC_ALL", "C", "GIT_CONFIG_NOSYSTEM", "1", "GIT_TERMINAL_PROMPT", "0");

  static Path stderrLog;

  private NativeGit() {
  }

  static String git(Path dir, String... args) {
    return git(dir, Map.of(), null, args);
  }

  static String gitEnv(Path dir, Map<String, String> env, String... args) {
    return git(dir, env, null, args);
  }

  /** Runs git in {@code dir}; returns stdout; fails with stderr's tail on a non-zero exit. */
  static String git(Path dir, Map<String, String> env, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>(args.length + 1);
    command.add("git");
    command.addAll(List.of(args));
    return run(dir, env, stdin, command);
  }

  static String run(Path dir, Map<String, String> env, byte[] stdin, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(BASE_ENV);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    try {
      long logBefore = Files.size(stderrLog);
      Process p = pb.start();
      if (stdin != null) {
        try (OutputStream in = p.getOutputStream()) {
          in.write(stdin);
        }
      }
      byte[] out = p.getInputStream().readAllBytes();
      int code = p.waitFor();
      if (code != 0) {
        String err = Files.readString(stderrLog).substring((int) Math.min(logBefore, Files.size(stderrLog)));
        throw new IllegalStateException(command + " in " + dir + " exited " + code + ": " + err.strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(command + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The native checkpoint: a temporary index seeded from .git/index, {@code git add -A},
   * {@code write-tree}, {@code commit-tree} (parent HEAD) and {@code update-ref}. The user's index is untouched.
   * Returns the commit id.
   */
  static String checkpoint(Path repo, String ref, String message) throws IOException {
    Path tmpIndex = repo.resolve(".git/bench-native-index");
    Path index = repo.resolve(".git/index");
    if (Files.exists(index)) {
      Files.copy(index, tmpIndex, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(tmpIndex);
    }
    Map<String, String> env = Map.of("GIT_INDEX_FILE", tmpIndex.toString());
    gitEnv(repo, env, "add", "-A");
    String tree = gitEnv(repo, env, "write-tree").strip();
    String commit = git(repo, "commit-tree", tree, "-p", "HEAD", "-m", message).strip();
    git(repo, "update-ref", ref, commit);
    return commit;
  }

  /** The tree id of a native checkpoint's working tree (for a later restore). */
  static String treeOf(Path repo, String commitish) {
    return git(repo, "rev-parse", commitish + "^{tree}").strip();
  }

  /** The native rollback: {@code read-tree -u --reset <tree>}, {@code clean -fd}, branch to the base. */
  static void restore(Path repo, String tree, String baseCommit) {
    git(repo, "read-tree", "-u", "--reset", tree);
    git(repo, "clean", "-fdq");
    git(repo, "update-ref", "HEAD", baseCommit);
  }

  static String head(Path repo) {
    return git(repo, "rev-parse", "HEAD").strip();
  }

  /** {@code git count-objects -v} as name/value pairs. */
  static Map<String, Long> countObjects(Path repo) {
    Map<String, Long> result = new java.util.LinkedHashMap<>();
    for (String line : git(repo, "count-objects", "-v").split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        result.put(line.substring(0, colon).strip(), Long.parseLong(line.substring(colon + 1).strip()));
      }
    }
    return result;
  }
}
