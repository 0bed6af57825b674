package io.cortex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository in a temp folder, driven by the real {@code git} command line, so tests
 * check Cortex against git itself.
 */
public final class TempRepo {

  private final Path dir;

  private TempRepo(Path dir) {
    this.dir = dir;
  }

  /** {@code git init} in a new folder under {@code parent}, with a committer identity configured. */
  public static TempRepo init(Path parent) {
    try {
      Path dir = Files.createTempDirectory(parent, "repo");
      TempRepo repo = new TempRepo(dir);
      repo.git("init", "-q", "-b", "main");
      repo.git("config", "user.name", "Test");
      repo.git("config", "user.email", "test@example.com");
      repo.git("config", "commit.gpgsign", "false");
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An existing repository (made by {@link #init}, e.g. in another JVM). */
  public static TempRepo open(Path dir) {
    return new TempRepo(dir);
  }

  public Path dir() {
    return dir;
  }

  public TempRepo write(String path, String content) {
    return write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public TempRepo write(String path, byte[] content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String read(String path) {
    try {
      return Files.readString(dir.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TempRepo delete(String path) {
    try {
      Files.delete(dir.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TempRepo commitAll(String message) {
    git("add", "-A");
    git("commit", "-q", "-m", message);
    return this;
  }

  public byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(dir.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs git in the repository and returns its standard output; fails on a non-zero exit. */
  public String git(String... args) {
    return gitWithEnv(java.util.Map.of(), args);
  }

  /** Runs git with extra environment variables. */
  public String gitWithEnv(java.util.Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The tree native git builds for the whole working tree without touching the user's index:
   * a temporary index seeded from the real one, {@code git add -A}, {@code git write-tree}.
   */
  public String nativeSnapshotTree() {
    try {
      Path tempIndex = Files.createTempFile("index", ".tmp");
      Path index = dir.resolve(".git/index");
      if (Files.exists(index)) {
        Files.copy(index, tempIndex, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.delete(tempIndex);
      }
      java.util.Map<String, String> env = java.util.Map.of("GIT_INDEX_FILE", tempIndex.toString());
      gitWithEnv(env, "add", "-A");
      String tree = gitWithEnv(env, "write-tree").trim();
      Files.deleteIfExists(tempIndex);
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything a checkpoint must leave alone: status, index bytes, HEAD, refs of the user, stash. */
  public String userVisibleState() {
    try {
      byte[] index = Files.exists(dir.resolve(".git/index")) ? Files.readAllBytes(dir.resolve(".git/index")) : new byte[0];
      return "status:\n" + git("status", "--porcelain=v1", "-uall", "--ignored")
          + "index:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(index))
          + "\nHEAD:" + Files.readString(dir.resolve(".git/HEAD"))
          + "refs:\n" + git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags", "refs/stash");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
