package io.cortex.git;

import io.cortex.git.SnapshotState.IndexRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Stores a {@link SnapshotState} as git objects and reads it back.
 *
 * <p>The state is the tree of a <em>state commit</em> (no parent, message {@value #MARKER}) that is the last
 * parent of the snapshot commit, so everything it holds is reachable from the checkpoint's ref and {@code git gc}
 * keeps it, while the snapshot's own tree stays the working tree in git's clean form (what diff, history and
 * older Cortex versions read). The state tree:
 * <pre>
 *   format            "2\n"
 *   HEAD              "ref: refs/heads/main\n" or "&lt;commit&gt;\n"
 *   index             per entry: "&lt;octal mode&gt; &lt;id&gt; &lt;stage&gt; &lt;flags&gt;\t&lt;path&gt;\0"; flags: A assume-unchanged,
 *                     S skip-worktree, I intent-to-add, - none
 *   index-objects/    stage-0/ … stage-3/: trees of the index's blobs per stage, only to keep them reachable
 *   permissions       per file whose bits are not 644/755: "&lt;octal bits&gt; &lt;path&gt;\0"
 *   raw/              the bytes on disk of files whose clean form does not round-trip, by path
 *   sparse-checkout   info/sparse-checkout as it was (absent when there was none)
 * </pre>
 */
final class SnapshotStateCodec {

  static final String MARKER = "cortex snapshot state";

  private SnapshotStateCodec() {
  }

  /** Writes the state tree; returns it. {@code reader} must see what {@code inserter} wrote. */
  static ObjectId writeTree(ObjectInserter inserter, ObjectReader reader, SnapshotState state) throws IOException {
    DirCache tree = DirCache.newInCore();
    DirCacheBuilder builder = tree.builder();
    add(builder, inserter, "format", SnapshotState.FORMAT + "\n");
    add(builder, inserter, "HEAD", state.head() == null ? "" : state.head() + "\n");
    StringBuilder index = new StringBuilder();
    Map<Integer, List<DirCacheEntry>> stageEntries = new TreeMap<>();
    for (IndexRecord r : state.index()) {
      String flags = (r.assumeValid() ? "A" : "") + (r.skipWorktree() ? "S" : "") + (r.intentToAdd() ? "I" : "");
      index.append(Integer.toOctalString(r.mode())).append(' ').append(r.id().name()).append(' ').append(r.stage())
          .append(' ').append(flags.isEmpty() ? "-" : flags).append('\t').append(r.path()).append('\0');
      boolean gitlink = (r.mode() & FileMode.TYPE_MASK) == FileMode.TYPE_GITLINK;
      if (r.intentToAdd() && ObjectId.isEqual(r.id(), emptyBlob())) {
        inserter.insert(Constants.OBJ_BLOB, new byte[0]); // git add -N names the empty blob without writing it
      } else if (!gitlink && !reader.has(r.id())) {
        continue; // an index naming a missing object: recorded, but no tree may point at it (fsck)
      }
      DirCacheEntry e = new DirCacheEntry(r.path());
      e.setFileMode(FileMode.fromBits(r.mode()));
      e.setObjectId(r.id());
      stageEntries.computeIfAbsent(r.stage(), s -> new ArrayList<>()).add(e);
    }
    add(builder, inserter, "index", index.toString());
    for (Map.Entry<Integer, List<DirCacheEntry>> stage : stageEntries.entrySet()) {
      addTree(builder, reader, "index-objects/stage-" + stage.getKey(), writeTree(inserter, stage.getValue()));
    }
    StringBuilder permissions = new StringBuilder();
    new TreeMap<>(state.permissions()).forEach((path, bits) ->
        permissions.append(Integer.toOctalString(bits)).append(' ').append(path).append('\0'));
    add(builder, inserter, "permissions", permissions.toString());
    if (!state.raw().isEmpty()) {
      List<DirCacheEntry> raw = new ArrayList<>();
      state.raw().forEach((path, id) -> {
        DirCacheEntry e = new DirCacheEntry(path);
        e.setFileMode(FileMode.REGULAR_FILE);
        e.setObjectId(id);
        raw.add(e);
      });
      addTree(builder, reader, "raw", writeTree(inserter, raw));
    }
    if (state.sparseCheckout() != null) {
      add(builder, inserter, "sparse-checkout", state.sparseCheckout());
    }
    builder.finish();
    return tree.writeTree(inserter);
  }

  /** Writes the state commit of a state tree: a root commit carrying {@link #MARKER}. */
  static ObjectId stateCommit(ObjectInserter inserter, ObjectId stateTree, Instant when) throws IOException {
    CommitBuilder commit = new CommitBuilder();
    PersonIdent ident = new PersonIdent("Cortex", "cortex@localhost", when, ZoneOffset.UTC);
    commit.setAuthor(ident);
    commit.setCommitter(ident);
    commit.setTreeId(stateTree);
    commit.setMessage(MARKER + "\n\nformat " + SnapshotState.FORMAT + "\n");
    return inserter.insert(commit);
  }

  private static ObjectId emptyBlob() {
    return ObjectId.fromString("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  }

  private static ObjectId writeTree(ObjectInserter inserter, List<DirCacheEntry> entries) throws IOException {
    DirCache dc = DirCache.newInCore();
    DirCacheBuilder b = dc.builder();
    entries.forEach(b::add);
    b.finish();
    return dc.writeTree(inserter);
  }

  private static void add(DirCacheBuilder builder, ObjectInserter inserter, String path, String content)
      throws IOException {
    DirCacheEntry e = new DirCacheEntry(path);
    e.setFileMode(FileMode.REGULAR_FILE);
    e.setObjectId(inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
    builder.add(e);
  }

  private static void addTree(DirCacheBuilder builder, ObjectReader reader, String prefix, ObjectId tree)
      throws IOException {
    // added as the entries under a prefix; the builder re-creates the subtree when the tree is written
    builder.addTree(prefix.getBytes(StandardCharsets.UTF_8), DirCacheEntry.STAGE_0, reader, tree);
  }

  /** The state of a snapshot commit: empty for format 1 (every checkpoint written before format 2). */
  static Optional<SnapshotState> read(ObjectReader reader, RevCommit snapshot) throws IOException {
    RevCommit state = stateCommitOf(reader, snapshot);
    if (state == null) {
      return Optional.empty();
    }
    Map<String, ObjectId> top = new HashMap<>();
    Map<String, ObjectId> raw = new HashMap<>();
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(state.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        String path = walk.getPathString();
        if (path.startsWith("raw/")) {
          raw.put(path.substring(4), walk.getObjectId(0));
        } else if (!path.startsWith("index-objects/")) {
          top.put(path, walk.getObjectId(0));
        }
      }
    }
    List<IndexRecord> index = new ArrayList<>();
    for (String record : text(reader, top.get("index")).split("\0")) {
      if (record.isEmpty()) {
        continue;
      }
      int tab = record.indexOf('\t');
      String[] f = record.substring(0, tab).split(" ");
      index.add(new IndexRecord(record.substring(tab + 1), Integer.parseInt(f[0], 8), ObjectId.fromString(f[1]),
          Integer.parseInt(f[2]), f[3].contains("A"), f[3].contains("S"), f[3].contains("I")));
    }
    Map<String, Integer> permissions = new HashMap<>();
    for (String record : text(reader, top.get("permissions")).split("\0")) {
      if (!record.isEmpty()) {
        int space = record.indexOf(' ');
        permissions.put(record.substring(space + 1), Integer.parseInt(record.substring(0, space), 8));
      }
    }
    String head = text(reader, top.get("HEAD")).trim();
    String sparse = top.containsKey("sparse-checkout") ? text(reader, top.get("sparse-checkout")) : null;
    return Optional.of(new SnapshotState(index, raw, permissions, sparse, head.isEmpty() ? null : head));
  }

  /**
   * The state commit of a snapshot: its last parent when that is a root commit carrying the marker; null for a
   * format-1 snapshot (whose only parent, if any, is the commit HEAD was on).
   */
  static RevCommit stateCommitOf(ObjectReader reader, RevCommit snapshot) throws IOException {
    if (snapshot.getParentCount() == 0) {
      return null;
    }
    try (RevWalk walk = new RevWalk(reader)) {
      RevCommit last = walk.parseCommit(snapshot.getParent(snapshot.getParentCount() - 1));
      return last.getParentCount() == 0 && last.getFullMessage().startsWith(MARKER + "\n") ? last : null;
    }
  }

  private static String text(ObjectReader reader, ObjectId blob) throws IOException {
    if (blob == null) {
      return "";
    }
    return new String(reader.open(blob, Constants.OBJ_BLOB).getCachedBytes(), StandardCharsets.UTF_8);
  }
}
