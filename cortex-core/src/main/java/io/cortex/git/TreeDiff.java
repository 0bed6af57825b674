package io.cortex.git;

import io.cortex.git.DiffResult.ChangeKind;
import io.cortex.git.DiffResult.FileChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.diff.ContentSource;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffEntry.ChangeType;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.patch.FileHeader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * Compares trees: two commits (typically checkpoint snapshots), or the current working tree
 * against a commit. Both are read-only: nothing is written to the repository (no objects, no
 * index, no lock files).
 *
 * <pre>{@code
 * DiffResult diff = TreeDiff.between(git, checkpointA, checkpointB);
 * System.out.print(diff.stat());
 * DiffResult preview = TreeDiff.workingTreeAgainst(git, checkpointB); // what a restore would change
 * }</pre>
 *
 * <p>Rename detection is off whatever {@code diff.renames} says; the line diff follows the
 * repository's {@code diff.algorithm} (JGit's default: histogram). The patch has the hunks
 * {@code git diff} prints, except that {@code @@} lines carry no function context and binary
 * files read "Binary files differ".
 */
public final class TreeDiff {

  private TreeDiff() {
  }

  /**
   * The changes from {@code fromCommit}'s tree to {@code toCommit}'s tree, like
   * {@code git diff --no-renames fromCommit toCommit}.
   *
   * @param fromCommit the old side: a commit id or any revision git resolves to a commit
   * @param toCommit the new side
   * @throws GitException when either commit is unknown or cannot be read
   */
  public static DiffResult between(GitWorkspace git, String fromCommit, String toCommit) {
    Repository repository = git.repository();
    try (ObjectReader reader = repository.newObjectReader();
         RevWalk walk = new RevWalk(reader)) {
      RevTree from = treeOf(git, walk, fromCommit);
      RevTree to = treeOf(git, walk, toCommit);
      ByteArrayOutputStream patch = new ByteArrayOutputStream();
      try (DiffFormatter formatter = formatter(patch, reader, repository)) {
        List<DiffEntry> entries = formatter.scan(from, to);
        return result(formatter, patch, entries, List.of());
      }
    } catch (IOException e) {
      throw new GitException("Could not diff " + fromCommit + " against " + toCommit + " in "
          + git.workTree() + ": " + e.getMessage(), e);
    }
  }

  /**
   * What would change if the working tree became {@code commit}: the current working tree
   * (tracked files as they are on disk, plus untracked files that are not ignored) is the old
   * side, the commit's tree the new side. So a file only on disk is {@link ChangeKind#DELETED},
   * a file only in the commit {@link ChangeKind#ADDED}; deleted files that are not in the
   * user's index are also listed in {@link DiffResult#untrackedToRemove()}.
   *
   * <p>Ignored files are left out unless they are tracked or the commit has a file at the
   * same path; ignored directories are entered only when they hold tracked files or the commit
   * has files inside them. Nested repositories (and gitlinks in the commit) are neither entered
   * nor reported, as in a captured snapshot. Working-tree content is hashed and read in memory
   * only; the user's index is read, never locked or written.
   *
   * @throws GitException when the commit is unknown or the repository cannot be read
   */
  public static DiffResult workingTreeAgainst(GitWorkspace git, String commit) {
    Repository repository = git.repository();
    try (ObjectReader reader = repository.newObjectReader();
         RevWalk revWalk = new RevWalk(reader)) {
      RevTree target = treeOf(git, revWalk, commit);
      WorkingTreeScan scan = scanWorkingTree(repository, reader, target);
      ContentSource workTreeContent = ContentSource.create(new FileTreeIterator(repository));
      try {
        ObjectReader contentReader = new WorkingTreeContentReader(reader, workTreeContent, scan.workTreeBlobs);
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        try (DiffFormatter formatter = formatter(patch, contentReader, repository)) {
          return result(formatter, patch, scan.entries, scan.untracked);
        }
      } finally {
        workTreeContent.close();
      }
    } catch (IOException e) {
      throw new GitException("Could not diff the working tree of " + git.workTree() + " against commit "
          + commit + ": " + e.getMessage(), e);
    }
  }

  private static RevTree treeOf(GitWorkspace git, RevWalk walk, String commit) {
    if (commit == null || commit.isBlank()) {
      throw new GitException("No commit given to diff in " + git.workTree());
    }
    ObjectId id;
    try {
      id = git.repository().resolve(commit + "^{commit}");
    } catch (IOException | RevisionSyntaxException e) {
      throw new GitException("Commit " + commit + " cannot be read in " + git.workTree() + ": " + e.getMessage(), e);
    }
    if (id == null) {
      throw new GitException("Commit " + commit + " not found in " + git.workTree());
    }
    try {
      return walk.parseCommit(id).getTree();
    } catch (IOException e) {
      throw new GitException("Commit " + commit + " cannot be read in " + git.workTree() + ": " + e.getMessage(), e);
    }
  }

  private static DiffFormatter formatter(ByteArrayOutputStream out, ObjectReader reader, Repository repository) {
    DiffFormatter formatter = new DiffFormatter(out);
    formatter.setReader(reader, repository.getConfig());
    // after setReader, which applies diff.renames and diff.noprefix from the configuration
    formatter.setDetectRenames(false);
    formatter.setOldPrefix("a/");
    formatter.setNewPrefix("b/");
    return formatter;
  }

  /**
   * Builds the result: numstat-like counts from each entry's edit list, and the patch entry by
   * entry. JGit writes {@code ---}/{@code +++} lines even for files without hunks (binary
   * files, empty files added or deleted); git does not, so they are dropped there.
   */
  private static DiffResult result(DiffFormatter formatter, ByteArrayOutputStream section, List<DiffEntry> entries,
                                   List<String> untracked) throws IOException {
    List<FileChange> changes = new ArrayList<>();
    StringBuilder patch = new StringBuilder();
    for (DiffEntry entry : entries) {
      FileHeader header = formatter.toFileHeader(entry);
      boolean binary = header.getPatchType() != FileHeader.PatchType.UNIFIED;
      int added = 0;
      int deleted = 0;
      List<Edit> edits = header.toEditList();
      for (Edit edit : edits) {
        added += edit.getLengthB();
        deleted += edit.getLengthA();
      }
      if (binary) {
        added = 0;
        deleted = 0;
      }
      addChange(changes, entry, added, deleted, binary);

      section.reset();
      formatter.format(entry);
      formatter.flush();
      String text = section.toString(StandardCharsets.UTF_8);
      if (edits.isEmpty()) {
        text = text.lines()
            .filter(line -> !line.startsWith("--- ") && !line.startsWith("+++ "))
            .map(line -> line + "\n")
            .collect(Collectors.joining());
      }
      patch.append(text);
    }
    return new DiffResult(changes, patch.toString(), untracked);
  }

  private static void addChange(List<FileChange> changes, DiffEntry entry, int added, int deleted, boolean binary) {
    ChangeKind kind = switch (entry.getChangeType()) {
      case ADD -> ChangeKind.ADDED;
      case DELETE -> ChangeKind.DELETED;
      default -> ChangeKind.MODIFIED;
    };
    String path = kind == ChangeKind.DELETED ? entry.getOldPath() : entry.getNewPath();
    FileChange previous = changes.isEmpty() ? null : changes.get(changes.size() - 1);
    if (kind == ChangeKind.ADDED && previous != null && previous.kind() == ChangeKind.DELETED
        && previous.path().equals(path)) {
      // a change of type (file <-> symlink) comes as a delete and an add of the same path
      boolean eitherBinary = previous.binary() || binary;
      changes.set(changes.size() - 1, new FileChange(path, ChangeKind.MODIFIED,
          eitherBinary ? 0 : previous.linesAdded() + added,
          eitherBinary ? 0 : previous.linesDeleted() + deleted,
          eitherBinary));
    } else {
      changes.add(new FileChange(path, kind, added, deleted, binary));
    }
  }

  // ---------------------------------------------------------------- working tree side

  private record WorkingTreeScan(List<DiffEntry> entries, List<String> untracked, Map<ObjectId, String> workTreeBlobs) {
  }

  private static WorkingTreeScan scanWorkingTree(Repository repository, ObjectReader reader, RevTree target)
      throws IOException {
    // readDirCache() only reads .git/index; it takes no lock and never writes it back.
    DirCache index = repository.readDirCache();
    List<DiffEntry> entries = new ArrayList<>();
    List<String> untracked = new ArrayList<>();
    Map<ObjectId, String> workTreeBlobs = new HashMap<>();

    try (TreeWalk walk = new TreeWalk(repository, reader)) {
      int indexTree = walk.addTree(new DirCacheIterator(index));
      FileTreeIterator workTree = new FileTreeIterator(repository);
      int diskTree = walk.addTree(workTree);
      workTree.setDirCacheIterator(walk, indexTree);
      int commitTree = walk.addTree(target);
      walk.setRecursive(false);

      String lastPath = null;
      while (walk.next()) {
        DirCacheIterator inIndex = walk.getTree(indexTree, DirCacheIterator.class);
        WorkingTreeIterator onDisk = walk.getTree(diskTree, WorkingTreeIterator.class);
        FileMode diskMode = onDisk == null ? FileMode.MISSING : onDisk.getEntryFileMode();
        int commitBits = walk.getRawMode(commitTree);

        if (walk.isSubtree()) {
          // Trees never share a step with files (TreeWalk orders "a/" apart from "a").
          boolean enter = FileMode.TREE.equals(commitBits) || inIndex != null
              || (onDisk != null && !onDisk.isEntryIgnored());
          if (enter) {
            walk.enterSubtree();
          }
          continue;
        }
        String path = walk.getPathString();
        if (path.equals(lastPath)) {
          continue; // further conflict stages of a path in the index
        }
        lastPath = path;
        if (FileMode.GITLINK.equals(diskMode) || FileMode.GITLINK.equals(commitBits)) {
          continue; // nested repositories are neither entered nor compared
        }

        boolean onOldSide = onDisk != null
            && (inIndex != null || commitBits != 0 || !onDisk.isEntryIgnored());
        FileMode oldMode = !onOldSide ? FileMode.MISSING
            : inIndex != null ? onDisk.getIndexFileMode(inIndex) : diskMode;
        FileMode newMode = commitBits == 0 ? FileMode.MISSING : FileMode.fromBits(commitBits);
        if (oldMode == FileMode.MISSING && newMode == FileMode.MISSING) {
          continue;
        }
        Attribute diffAttribute = walk.getAttributesNodeProvider() == null
            ? null : walk.getAttributes().get(Constants.ATTR_DIFF);
        ObjectId newId = newMode == FileMode.MISSING ? ObjectId.zeroId() : walk.getObjectId(commitTree);
        if (oldMode == FileMode.MISSING) {
          entries.add(new Entry(ChangeType.ADD, path, FileMode.MISSING, newMode, ObjectId.zeroId(), newId, diffAttribute));
          continue;
        }
        // the content id as git would store it (clean filters applied); taken from the index
        // when the file's stat data matches its entry, hashed in memory otherwise
        ObjectId oldId = onDisk.getEntryObjectId();
        if (newMode == FileMode.MISSING) {
          workTreeBlobs.put(oldId, path);
          entries.add(new Entry(ChangeType.DELETE, path, oldMode, FileMode.MISSING, oldId, ObjectId.zeroId(), diffAttribute));
          if (inIndex == null) {
            untracked.add(path);
          }
          continue;
        }
        boolean sameContent = oldId.equals(newId);
        if (sameContent && oldMode.getBits() == newMode.getBits()) {
          continue;
        }
        workTreeBlobs.put(oldId, path);
        if (!sameContent && objectType(oldMode) != objectType(newMode)) {
          // as git diff and JGit's own scan do: a change of type is a delete and an add
          entries.add(new Entry(ChangeType.DELETE, path, oldMode, FileMode.MISSING, oldId, ObjectId.zeroId(), diffAttribute));
          entries.add(new Entry(ChangeType.ADD, path, FileMode.MISSING, newMode, ObjectId.zeroId(), newId, diffAttribute));
        } else {
          entries.add(new Entry(ChangeType.MODIFY, path, oldMode, newMode, oldId, newId, diffAttribute));
        }
      }
    }
    return new WorkingTreeScan(entries, untracked, workTreeBlobs);
  }

  private static int objectType(FileMode mode) {
    return mode.getBits() & FileMode.TYPE_MASK;
  }

  /** A diff entry built from a three-way walk (index, disk, commit), like {@code DiffEntry.scan} builds them. */
  private static final class Entry extends DiffEntry {

    Entry(ChangeType type, String path, FileMode oldMode, FileMode newMode, ObjectId oldId, ObjectId newId,
          Attribute diffAttribute) {
      this.changeType = type;
      this.oldPath = type == ChangeType.ADD ? DEV_NULL : path;
      this.newPath = type == ChangeType.DELETE ? DEV_NULL : path;
      this.oldMode = oldMode;
      this.newMode = newMode;
      this.oldId = AbbreviatedObjectId.fromObjectId(oldId);
      this.newId = AbbreviatedObjectId.fromObjectId(newId);
      this.diffAttribute = diffAttribute;
    }
  }

  /**
   * Serves the working-tree side of a diff: blob ids computed from files on disk are not in
   * the object database, so opening one reads the file (through the same clean filters)
   * instead; every other id goes to the repository.
   */
  private static final class WorkingTreeContentReader extends ObjectReader.Filter {

    private final ObjectReader delegate;
    private final ContentSource workTree;
    private final Map<ObjectId, String> paths;

    WorkingTreeContentReader(ObjectReader delegate, ContentSource workTree, Map<ObjectId, String> paths) {
      this.delegate = delegate;
      this.workTree = workTree;
      this.paths = paths;
    }

    @Override
    protected ObjectReader delegate() {
      return delegate;
    }

    @Override
    public ObjectLoader open(AnyObjectId objectId) throws IOException {
      return open(objectId, OBJ_ANY);
    }

    @Override
    public ObjectLoader open(AnyObjectId objectId, int typeHint) throws IOException {
      String path = paths.get(objectId);
      return path != null ? workTree.open(path, objectId.toObjectId()) : delegate.open(objectId, typeHint);
    }

    @Override
    public long getObjectSize(AnyObjectId objectId, int typeHint) throws IOException {
      String path = paths.get(objectId);
      return path != null ? workTree.open(path, objectId.toObjectId()).getSize() : delegate.getObjectSize(objectId, typeHint);
    }

    @Override
    public boolean has(AnyObjectId objectId) throws IOException {
      return paths.containsKey(objectId) || delegate.has(objectId);
    }

    @Override
    public boolean has(AnyObjectId objectId, int typeHint) throws IOException {
      return paths.containsKey(objectId) || delegate.has(objectId, typeHint);
    }

    @Override
    public void close() {
      // the delegate belongs to the caller
    }
  }
}
