package io.cortex.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Puts a snapshot back: HEAD and the branch, the files, their permissions, the index with its flags and the
 * sparse-checkout patterns — plan, then apply, then verify.
 *
 * <ol>
 *   <li><b>Plan</b> ({@link RestorePlanner}) under the user's index lock, held to the end so no git process
 *       interleaves. A plan with conflicts fails here: nothing was touched.</li>
 *   <li><b>Apply</b>: the branch (compare-and-set against the HEAD the caller saw), deletions, files written in
 *       {@code .git/cortex-restore/} and renamed over their paths (a process killed half-way leaves each file as
 *       it was or as the snapshot has it), permissions, the index, the sparse patterns. Only what differs is
 *       written: unchanged files keep their bytes and mtime.</li>
 *   <li><b>Verify</b>: planning again, reading back every file written, must find nothing left to do; anything
 *       else fails with {@link RestoreVerificationException} (the caller puts the state before back).</li>
 * </ol>
 * Ignored files, nested repositories and files over the size cap are never touched.
 */
final class SnapshotRestore {

  /** The folder in the git directory where files are written before they are renamed into the work tree. */
  static final String STAGING = "cortex-restore";

  private final Repository repository;
  private final long maxFileSizeBytes;
  /** Restore only these paths (files or folders), or everything when null. */
  private final Set<String> onlyPaths;
  private final Path root;
  private Path staging;
  private int stagedCount;
  /** Move the branch only while it points here (compare-and-set); unchecked unless {@link #expectingHead} was called. */
  private boolean checkHead;
  private String expectedHead;
  private HeadTarget headTarget = HeadTarget.current();
  private boolean dryRun;
  private io.cortex.progress.ProgressListener progress = io.cortex.progress.ProgressListener.NONE;

  SnapshotRestore(Repository repository, long maxFileSizeBytes) {
    this(repository, maxFileSizeBytes, null);
  }

  SnapshotRestore(Repository repository, long maxFileSizeBytes, Set<String> onlyPaths) {
    this.repository = repository;
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.onlyPaths = onlyPaths;
    this.root = repository.getWorkTree().toPath();
  }

  /** Files written and deleted are reported to {@code listener} ("Writing files"). */
  SnapshotRestore reportingTo(io.cortex.progress.ProgressListener listener) {
    this.progress = listener;
    return this;
  }

  /** The moved ref is moved only while it still points at {@code head} (null: unborn). */
  SnapshotRestore expectingHead(String head) {
    this.checkHead = true;
    this.expectedHead = head;
    return this;
  }

  SnapshotRestore leavingHead(HeadTarget target) {
    this.headTarget = target;
    return this;
  }

  /** The plan alone: reads, takes no lock, writes nothing. */
  RestorePlan plan(String snapshotCommit, String baseCommit) throws IOException {
    DirCache index = repository.readDirCache();
    try (ObjectReader reader = repository.newObjectReader(); RevWalk revWalk = new RevWalk(reader)) {
      RevCommit snapshot = revWalk.parseCommit(ObjectId.fromString(snapshotCommit));
      Optional<SnapshotState> state = SnapshotStateCodec.read(reader, snapshot);
      return new RestorePlanner(repository, reader, maxFileSizeBytes, onlyPaths, Set.of())
          .plan(snapshot, state, index, baseCommit, headTarget);
    }
  }

  /** Restores the snapshot; {@code baseCommit} is where the branch goes — ignored when only some paths are restored. */
  RestoreResult restore(String snapshotCommit, String baseCommit) throws IOException {
    DirCache index = repository.lockDirCache();
    try (ObjectReader reader = repository.newObjectReader(); RevWalk revWalk = new RevWalk(reader)) {
      RevCommit snapshot = revWalk.parseCommit(ObjectId.fromString(snapshotCommit));
      Optional<SnapshotState> state = SnapshotStateCodec.read(reader, snapshot);
      HeadTarget head = headTarget;
      RestorePlan plan = new RestorePlanner(repository, reader, maxFileSizeBytes, onlyPaths, Set.of())
          .plan(snapshot, state, index, baseCommit, head);
      if (!plan.conflicts.isEmpty()) {
        throw new RestoreConflictException(root, plan.conflicts());
      }
      if (onlyPaths == null) {
        moveHead(baseCommit, head);
      }
      apply(plan, reader, index);
      verify(snapshot, state, baseCommit, head, plan, reader);
      return new RestoreResult(plan.writes.stream().map(RestorePlan.Write::path).toList(), plan.deletes,
          plan.leftAlone);
    } finally {
      index.unlock();
    }
  }

  private void apply(RestorePlan plan, ObjectReader reader, DirCache index) throws IOException {
    ProgressReporter reporter = new ProgressReporter(progress, root, "Writing files",
        plan.writes.size() + plan.deletes.size());
    for (String path : plan.deletes) {
      delete(path);
      reporter.advance(0);
    }
    staging = plan.writes.isEmpty() ? null : openStaging();
    try {
      for (RestorePlan.Write write : plan.writes) {
        write(write, reader, plan.conversions);
        reporter.advance(reader.getObjectSize(write.raw() != null ? write.raw() : write.blob(),
            org.eclipse.jgit.lib.Constants.OBJ_BLOB));
      }
      reporter.finish();
    } finally {
      if (staging != null) {
        emptyStaging(staging);
        Files.deleteIfExists(staging);
      }
    }
    for (Map.Entry<String, Integer> chmod : plan.chmods.entrySet()) {
      PosixModes.set(root.resolve(chmod.getKey()), chmod.getValue());
    }
    writeIndex(plan, index, reader);
    if (plan.sparseCheckoutChanges) {
      Path sparse = repository.getDirectory().toPath().resolve("info/sparse-checkout");
      Files.createDirectories(sparse.getParent());
      Path temp = Files.createTempFile(sparse.getParent(), "sparse-checkout", ".tmp");
      Files.writeString(temp, plan.sparseCheckout);
      Files.move(temp, sparse, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * The index of the plan, with stat data taken from the disk wherever the entry is what the file holds (so git
   * sees it unchanged without reading it), and none elsewhere (git looks at the file: a staged change stays
   * staged, an unstaged one unstaged).
   */
  private void writeIndex(RestorePlan plan, DirCache index, ObjectReader reader) throws IOException {
    List<IndexFile.Entry> entries = new ArrayList<>();
    Map<String, DirCacheEntry> current = new HashMap<>();
    for (int i = 0; i < index.getEntryCount(); i++) {
      DirCacheEntry e = index.getEntry(i);
      if (e.getStage() == 0) {
        current.put(e.getPathString(), e);
      }
    }
    Set<String> touched = plan.touchedPaths();
    Set<String> leftAlone = new HashSet<>(plan.leftAlone);
    for (SnapshotState.IndexRecord r : plan.index) {
      Path file = root.resolve(r.path());
      boolean upToDate = r.stage() == 0 && !r.skipWorktree() && !r.intentToAdd()
          && (r.mode() & FileMode.TYPE_MASK) != FileMode.TYPE_GITLINK
          && r.id().equals(plan.treeIds.get(r.path())) && Integer.valueOf(r.mode()).equals(plan.treeModes.get(r.path()))
          && !leftAlone.contains(r.path())
          && Files.exists(file, LinkOption.NOFOLLOW_LINKS);
      if (upToDate) {
        entries.add(new IndexFile.Entry(r, repository.getFS().lastModifiedInstant(file.toFile()),
            repository.getFS().length(file.toFile())));
      } else {
        DirCacheEntry was = current.get(r.path());
        boolean sameAsNow = was != null && r.stage() == 0 && was.getRawMode() == r.mode()
            && was.getObjectId().equals(r.id()) && !touched.contains(r.path());
        // an entry that stays as it is keeps its stat data: a file left alone stays "unchanged" for git
        entries.add(sameAsNow ? new IndexFile.Entry(r, was.getLastModifiedInstant(), was.getLength())
            : new IndexFile.Entry(r, null, 0));
      }
    }
    List<DirCacheEntry> built = IndexFile.entries(entries, repository.getDirectory().toPath());
    DirCacheBuilder builder = index.builder();
    built.forEach(builder::add);
    builder.finish();
    if (!builder.commit()) {
      throw new GitException("Could not write the index of " + repository.getWorkTree());
    }
  }

  private void verify(RevCommit snapshot, Optional<SnapshotState> state, String baseCommit, HeadTarget head,
                      RestorePlan applied, ObjectReader reader) throws IOException {
    DirCache index = repository.readDirCache();
    Set<String> written = new HashSet<>();
    applied.writes.forEach(w -> written.add(w.path()));
    RestorePlan left = new RestorePlanner(repository, reader, maxFileSizeBytes, onlyPaths, written)
        .plan(snapshot, state, index, baseCommit, head);
    // kept because ignored by the rules before the restore: the rules after it may not ignore them any more
    Set<String> kept = new HashSet<>(applied.keptIgnored);
    left.deletes.removeIf(kept::contains);
    left.untrackedDeletes.removeIf(kept::contains);
    if (!left.conflicts.isEmpty() || !left.isEmpty()) {
      throw new RestoreVerificationException(root, left.conflicts.isEmpty() ? left.describe()
          : String.join("; ", left.conflicts));
    }
  }

  private void moveHead(String baseCommit, HeadTarget head) throws IOException {
    Ref current = repository.exactRef(Constants.HEAD);
    String currentBranch = current != null && current.isSymbolic() ? current.getTarget().getName() : null;
    switch (head.kind()) {
      case CURRENT -> {
        if (currentBranch != null) {
          moveBranch(currentBranch, baseCommit, true);
        } else if (baseCommit != null) {
          detach(baseCommit);
        }
      }
      case DETACHED -> {
        if (baseCommit != null) {
          detach(baseCommit);
        }
      }
      case BRANCH -> {
        String branch = Constants.R_HEADS + head.branch();
        moveBranch(branch, baseCommit, branch.equals(currentBranch));
        if (!branch.equals(currentBranch)) {
          RefUpdate link = repository.updateRef(Constants.HEAD);
          link.setRefLogMessage("cortex: undo, back on " + head.branch(), false);
          check(link.link(branch), Constants.HEAD);
        }
      }
    }
  }

  private void detach(String commit) throws IOException {
    RefUpdate update = repository.updateRef(Constants.HEAD, true);
    update.setNewObjectId(ObjectId.fromString(commit));
    update.setForceUpdate(true);
    update.setRefLogMessage("cortex: rollback", false);
    guard(update);
    check(update.update(), Constants.HEAD);
  }

  private void moveBranch(String branch, String baseCommit, boolean checkedOut) throws IOException {
    if (baseCommit == null) {
      if (repository.exactRef(branch) == null) {
        return;
      }
      // git lets a checked-out branch be deleted (the branch becomes unborn); JGit refuses, so HEAD names
      // another ref for the moment of the delete
      String parking = "refs/cortex/unborn";
      if (checkedOut) {
        check(repository.updateRef(Constants.HEAD).link(parking), Constants.HEAD);
      }
      try {
        RefUpdate delete = repository.updateRef(branch);
        delete.setForceUpdate(true);
        guard(delete);
        check(delete.delete(), branch);
      } finally {
        if (checkedOut) {
          check(repository.updateRef(Constants.HEAD).link(branch), Constants.HEAD);
        }
      }
      return;
    }
    RefUpdate update = repository.updateRef(branch);
    update.setNewObjectId(ObjectId.fromString(baseCommit));
    update.setForceUpdate(true);
    update.setRefLogMessage("cortex: rollback", false);
    guard(update);
    check(update.update(), branch);
  }

  /** Compare-and-set against the HEAD the caller saw, when it gave one. */
  private void guard(RefUpdate update) {
    if (checkHead) {
      update.setExpectedOldObjectId(expectedHead == null ? ObjectId.zeroId() : ObjectId.fromString(expectedHead));
    }
  }

  private void check(RefUpdate.Result result, String ref) {
    switch (result) {
      case NEW, FORCED, NO_CHANGE, FAST_FORWARD -> { }
      case LOCK_FAILURE -> {
        java.io.File lock = GitLockFiles.lockFileOf(repository, ref);
        // only this ref's own lock file counts: the index.lock found elsewhere is the one this restore holds
        throw (lock.exists() ? GitLockFiles.explain(repository, root, lock, "move " + ref)
            : java.util.Optional.<StaleGitLockException>empty())
            .map(GitException.class::cast)
            .orElseGet(() -> new GitException("Could not move " + ref + " in " + repository.getWorkTree() + ": "
                + (checkHead ? "it no longer points at " + (expectedHead == null ? "nothing" : expectedHead)
                + " - a commit or checkout happened meanwhile; no file was touched, look at the repository and retry"
                : result.toString())));
      }
      default -> throw new GitException("Could not move " + ref + " in " + repository.getWorkTree() + ": " + result);
    }
  }

  private Path write(RestorePlan.Write write, ObjectReader reader, CheckoutConversions conversions)
      throws IOException {
    String path = write.path();
    Path file = root.resolve(path);
    createLeadingFolders(path);
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      removeEmptyFolders(file, path); // the plan made sure only folders are left in it
    }
    boolean replaced = false;
    if (staging != null) {
      // written next door, then renamed over the file: a process killed here leaves the old file or the new one
      Path staged = staging.resolve(Integer.toString(stagedCount++));
      Files.deleteIfExists(staged);
      writeContent(write, reader, conversions, staged);
      try {
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
        replaced = true;
      } catch (AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(staged);
        staging = null; // the work tree is on another file system than .git: write in place from now on
      }
    }
    if (!replaced) {
      Files.deleteIfExists(file);
      writeContent(write, reader, conversions, file);
    }
    return file;
  }

  private void writeContent(RestorePlan.Write write, ObjectReader reader, CheckoutConversions conversions,
                            Path target) throws IOException {
    if (FileMode.SYMLINK.equals(write.mode())) {
      repository.getFS().createSymLink(target.toFile(),
          new String(reader.open(write.blob(), Constants.OBJ_BLOB).getCachedBytes(), StandardCharsets.UTF_8));
      return;
    }
    try (OutputStream out = Files.newOutputStream(target)) {
      if (write.raw() != null) {
        reader.open(write.raw(), Constants.OBJ_BLOB).copyTo(out);
      } else {
        conversions.smudge(write.path(), reader.open(write.blob(), Constants.OBJ_BLOB), out);
      }
    }
    if (write.permissions() != null && PosixModes.supported(target)) {
      PosixModes.set(target, write.permissions());
    } else if (FileMode.EXECUTABLE_FILE.equals(write.mode())) {
      repository.getFS().setExecute(target.toFile(), true);
    }
  }

  /** Creates the folders of {@code path}, never following a symbolic link (the plan ruled them out; checked again). */
  private void createLeadingFolders(String path) throws IOException {
    Path dir = root;
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      dir = dir.resolve(parts[i]);
      if (Files.isSymbolicLink(dir)) {
        throw new GitException("Cannot restore " + path + " in " + root + ": " + root.relativize(dir)
            + " became a symbolic link during the restore; a restore never writes through one");
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
      }
    }
  }

  private void removeEmptyFolders(Path dir, String path) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new GitException("Cannot restore " + path + " in " + root + ": the folder there holds "
              + root.relativize(p) + ", which appeared during the restore");
        }
        Files.delete(p);
      }
    }
  }

  /** The staging folder, emptied of what an earlier, interrupted restore left there. */
  private Path openStaging() throws IOException {
    Path dir = repository.getDirectory().toPath().resolve(STAGING);
    Files.createDirectories(dir);
    emptyStaging(dir);
    return dir;
  }

  private static void emptyStaging(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }

  private void delete(String path) throws IOException {
    Path file = root.resolve(path);
    Files.deleteIfExists(file);
    for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
        break;
      }
    }
  }
}
