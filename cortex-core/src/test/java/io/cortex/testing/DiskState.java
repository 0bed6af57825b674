package io.cortex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file under a folder (excluding or including {@code .git}) with its kind and a SHA-256 of
 * its bytes: equal states mean byte-identical trees.
 */
public final class DiskState {

  private DiskState() {
  }

  /** The working tree, without {@code .git}. */
  public static Map<String, String> workingTree(Path root) {
    return of(root, false);
  }

  /** Everything including {@code .git} (refs, index, objects, config) — for "changes nothing" checks. */
  public static Map<String, String> everything(Path root) {
    return of(root, true);
  }

  private static Map<String, String> of(Path root, boolean withGit) {
    Map<String, String> state = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.filter(p -> !p.equals(root)).forEach(p -> {
        String rel = root.relativize(p).toString();
        if (!withGit && (rel.equals(".git") || rel.startsWith(".git/"))) {
          return;
        }
        try {
          if (Files.isSymbolicLink(p)) {
            state.put(rel, "link:" + Files.readSymbolicLink(p));
          } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            state.put(rel, (Files.isExecutable(p) ? "exec:" : "file:")
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
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
}
