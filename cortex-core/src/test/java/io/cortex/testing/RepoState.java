package io.cortex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything of a repository a user can observe, read with native git and the file system: every file of the
 * working tree (ignored ones included) with its kind, permission bits and a SHA-256 of its bytes; the index as
 * {@code git ls-files -s -v} and its extended flags ({@code --debug}); HEAD and the branches; the sparse-checkout
 * patterns. Equal states mean nothing a user could see differs.
 */
public final class RepoState {

  private RepoState() {
  }

  /** The whole observable state; compare two with {@code isEqualTo} for a readable difference. */
  public static Map<String, String> of(TempRepo repo) {
    Map<String, String> state = new TreeMap<>(files(repo.dir()));
    state.put(":index", repo.git("ls-files", "-s", "-v"));
    state.put(":index-flags", indexFlags(repo));
    state.put(":HEAD", head(repo));
    state.put(":branches", repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"));
    Path sparse = repo.dir().resolve(".git/info/sparse-checkout");
    state.put(":sparse-checkout", Files.exists(sparse) ? read(sparse) : "");
    return state;
  }

  /** The working tree only (ignored files included, {@code .git} excluded): kind, permissions, bytes. */
  public static Map<String, String> files(Path root) {
    Map<String, String> state = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.filter(p -> !p.equals(root)).forEach(p -> {
        String rel = root.relativize(p).toString();
        if (rel.equals(".git") || rel.startsWith(".git/")) {
          return;
        }
        try {
          if (Files.isSymbolicLink(p)) {
            state.put(rel, "link:" + Files.readSymbolicLink(p));
          } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            state.put(rel, PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new AssertionError(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return state;
  }

  /** HEAD as git sees it: the branch it names (born or not) and the commit, or "detached" and the commit. */
  public static String head(TempRepo repo) {
    String head = read(repo.dir().resolve(".git/HEAD")).trim();
    String commit;
    try {
      commit = repo.git("rev-parse", "-q", "--verify", "HEAD").trim();
    } catch (AssertionError unborn) {
      commit = "unborn";
    }
    return (head.startsWith("ref: ") ? head.substring(5) : "detached") + " " + commit;
  }

  /** Per index entry, the extended flags git prints with {@code ls-files --debug} (intent-to-add, skip-worktree). */
  private static String indexFlags(TempRepo repo) {
    StringBuilder flags = new StringBuilder();
    String path = null;
    for (String line : repo.git("ls-files", "--debug").split("\n")) {
      if (!line.startsWith("  ")) {
        path = line;
      } else if (line.contains("flags:")) {
        flags.append(path).append(' ').append(line.substring(line.indexOf("flags:"))).append('\n');
      }
    }
    return flags.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
