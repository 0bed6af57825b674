package io.cortex.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The ignore rules of a tree that is not on disk (the state a restore goes to), evaluated as git evaluates
 * them: the {@code .gitignore} of each folder, deepest first, then {@code info/exclude}, then
 * {@code core.excludesFile}; and nothing inside an ignored folder can be re-included.
 */
final class TreeIgnoreRules {

  private final ObjectReader reader;
  private final ObjectId tree;
  private final IgnoreNode infoExclude;
  private final IgnoreNode global;
  private final Map<String, Optional<IgnoreNode>> perDirectory = new HashMap<>();
  private final Map<String, Boolean> directoryIgnored = new HashMap<>();

  TreeIgnoreRules(Repository repository, ObjectReader reader, ObjectId tree) throws IOException {
    this.reader = reader;
    this.tree = tree;
    this.infoExclude = parse(repository.getDirectory().toPath().resolve(Constants.INFO_EXCLUDE));
    this.global = parse(globalExcludesFile(repository));
  }

  /** Whether {@code path} (a file unless {@code directory}) is ignored under these rules. */
  boolean isIgnored(String path, boolean directory) throws IOException {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (directoryIgnored(path.substring(0, slash))) {
        return true;
      }
    }
    return matches(path, directory);
  }

  private boolean directoryIgnored(String dir) throws IOException {
    Boolean known = directoryIgnored.get(dir);
    if (known == null) {
      known = matches(dir, true);
      directoryIgnored.put(dir, known);
    }
    return known;
  }

  private boolean matches(String path, boolean directory) throws IOException {
    String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
    while (true) {
      Optional<IgnoreNode> node = gitignoreOf(dir);
      if (node.isPresent()) {
        Boolean result = node.get().checkIgnored(dir.isEmpty() ? path : path.substring(dir.length() + 1), directory);
        if (result != null) {
          return result;
        }
      }
      if (dir.isEmpty()) {
        break;
      }
      dir = dir.contains("/") ? dir.substring(0, dir.lastIndexOf('/')) : "";
    }
    for (IgnoreNode node : new IgnoreNode[] {infoExclude, global}) {
      Boolean result = node == null ? null : node.checkIgnored(path, directory);
      if (result != null) {
        return result;
      }
    }
    return false;
  }

  private Optional<IgnoreNode> gitignoreOf(String dir) throws IOException {
    Optional<IgnoreNode> node = perDirectory.get(dir);
    if (node == null) {
      String path = dir.isEmpty() ? Constants.DOT_GIT_IGNORE : dir + "/" + Constants.DOT_GIT_IGNORE;
      try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
        if (walk == null || (walk.getRawMode(0) & org.eclipse.jgit.lib.FileMode.TYPE_MASK)
            != org.eclipse.jgit.lib.FileMode.TYPE_FILE) {
          node = Optional.empty();
        } else {
          IgnoreNode parsed = new IgnoreNode();
          parsed.parse(new ByteArrayInputStream(reader.open(walk.getObjectId(0)).getCachedBytes()));
          node = Optional.of(parsed);
        }
      }
      perDirectory.put(dir, node);
    }
    return node;
  }

  private static IgnoreNode parse(Path file) throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    IgnoreNode node = new IgnoreNode();
    try (InputStream in = Files.newInputStream(file)) {
      node.parse(in);
    }
    return node;
  }

  private static Path globalExcludesFile(Repository repository) {
    String configured = repository.getConfig().getString("core", null, "excludesfile");
    String home = System.getProperty("user.home");
    if (configured != null) {
      return Path.of(configured.startsWith("~/") ? home + configured.substring(1) : configured);
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    return (xdg == null || xdg.isEmpty() ? Path.of(home, ".config") : Path.of(xdg)).resolve("git/ignore");
  }
}
