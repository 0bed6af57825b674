package io.cortex.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * The one boundary between Cortex and git: every read and write of a session's repository
 * goes through here, and no JGit type leaves this package.
 *
 * <pre>{@code
 * try (GitWorkspace git = GitWorkspace.open(Path.of("/work/my-project"))) {
 *   CapturedTree tree = git.captureWorkingTree(100 * 1024 * 1024);
 *   String commit = git.commitSnapshot(tree, "checkpoint message", Instant.now());
 *   git.writeRef(CheckpointRefs.refName("feature-auth-001", "dor-1"), commit, false);
 * }
 * }</pre>
 */
public final class GitWorkspace implements AutoCloseable {

  static {
    SystemGitConfig.install(); // before JGit first reads the system config: no git processes to find it
  }

  private final Path workTree;
  private final Repository repository;
  private io.cortex.progress.ProgressListener progress = io.cortex.progress.ProgressListener.NONE;

  private GitWorkspace(Path workTree, Repository repository) {
    this.workTree = workTree;
    this.repository = repository;
  }

  /** Opens the repository whose work tree is exactly {@code workTree}. */
  public static GitWorkspace open(Path workTree) {
    if (workTree.toString().isBlank()) {
      throw NotAGitRepositoryException.empty(); // Path.of("") resolves to the current directory: never a guess
    }
    Path dir = workTree.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new NotAGitRepositoryException(dir, "no such directory");
    }
    if (!Files.exists(dir.resolve(Constants.DOT_GIT))
        && RepositoryCache.FileKey.isGitRepository(dir.toFile(), FS.DETECTED)) {
      throw NotAGitRepositoryException.bare(dir);
    }
    if (!Files.exists(dir.resolve(Constants.DOT_GIT))) {
      throw new NotAGitRepositoryException(dir, "it has no .git");
    }
    try {
      Repository repository = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setMustExist(true).build();
      if (repository.isBare()) {
        repository.close();
        throw NotAGitRepositoryException.bare(dir);
      }
      return new GitWorkspace(dir, repository);
    } catch (IOException | IllegalArgumentException e) {
      throw new NotAGitRepositoryException(dir, e.getMessage());
    }
  }

  public Path workTree() {
    return workTree;
  }

  /**
   * Long steps of this workspace (scanning the working tree, writing files) report to {@code listener} from now on.
   */
  public GitWorkspace reportingTo(io.cortex.progress.ProgressListener listener) {
    this.progress = listener;
    return this;
  }

  /** For the classes of this package that implement one git operation each. */
  Repository repository() {
    return repository;
  }

  /**
   * Writes the entire working tree as a git tree object; see {@link WorkingTreeCapture}.
   * Nothing visible to the user changes: no index, HEAD, branch, stash or file is touched.
   */
  public CapturedTree captureWorkingTree(long maxFileSizeBytes) {
    return capture(maxFileSizeBytes, true);
  }

  /**
   * The working tree's tree alone, as {@link #captureWorkingTree} writes it, without the state beside it: to
   * compare a working tree with snapshots, never to commit as one.
   */
  public CapturedTree captureTreeOnly(long maxFileSizeBytes) {
    return capture(maxFileSizeBytes, false);
  }

  private CapturedTree capture(long maxFileSizeBytes, boolean withState) {
    try (ObjectInserter inserter = repository.newObjectInserter();
         ObjectReader reader = inserter.newReader()) {
      WorkingTreeCapture capture = new WorkingTreeCapture(repository, inserter, reader, maxFileSizeBytes, withState)
          .reportingTo(progress);
      ObjectId tree = capture.writeTree();
      ObjectId state = withState ? SnapshotStateCodec.writeTree(inserter, reader, capture.state(tree)) : null;
      inserter.flush();
      return new CapturedTree(tree.name(), head().orElse(null), currentBranch().orElse(null),
          capture.fileCount(), capture.hashedCount(), capture.skipped(), state == null ? null : state.name());
    } catch (IOException e) {
      throw new GitException("Could not capture the working tree of " + workTree + ": " + e.getMessage(), e);
    }
  }

  /**
   * The paths of the working tree, as a checkpoint would capture it, whose content is in neither snapshot (a
   * path absent from a snapshot counts as that snapshot's content: no file). Empty when the tree is any mix of
   * the two, as a restore from one to the other leaves it when cut half-way; anything else was changed by
   * someone since. At most {@code limit} paths. Writes the working tree's blobs, like a checkpoint.
   */
  public List<String> pathsInNeither(String snapshotA, String snapshotB, long maxFileSizeBytes, int limit) {
    CapturedTree now = captureTreeOnly(maxFileSizeBytes);
    try (RevWalk revWalk = new RevWalk(repository);
         org.eclipse.jgit.treewalk.TreeWalk walk = new org.eclipse.jgit.treewalk.TreeWalk(repository)) {
      walk.addTree(ObjectId.fromString(now.treeId()));
      walk.addTree(revWalk.parseCommit(ObjectId.fromString(snapshotA)).getTree());
      walk.addTree(revWalk.parseCommit(ObjectId.fromString(snapshotB)).getTree());
      walk.setRecursive(true);
      walk.setFilter(org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF);
      List<String> neither = new ArrayList<>();
      while (neither.size() < limit && walk.next()) {
        boolean fromA = walk.getRawMode(0) == walk.getRawMode(1) && walk.idEqual(0, 1);
        boolean fromB = walk.getRawMode(0) == walk.getRawMode(2) && walk.idEqual(0, 2);
        if (!fromA && !fromB) {
          neither.add(walk.getPathString());
        }
      }
      return neither;
    } catch (IOException e) {
      throw new GitException("Could not compare the working tree of " + workTree + " with snapshots " + snapshotA
          + " and " + snapshotB + ": " + e.getMessage(), e);
    }
  }

  /**
   * The first of {@code snapshotCommits} whose tree equals the working tree as a checkpoint would capture it now:
   * then everything on disk is kept in that snapshot. Only hashes: nothing is written to the repository (a dry run
   * asks this too). An unreadable commit is passed over.
   */
  public Optional<String> snapshotEqualToWorkingTree(List<String> snapshotCommits, long maxFileSizeBytes) {
    if (snapshotCommits.isEmpty()) {
      return Optional.empty();
    }
    ObjectId now;
    try (ObjectInserter hashOnly = new ObjectInserter.Formatter() {
          @Override
          public ObjectId insert(int type, long length, java.io.InputStream in) throws IOException {
            return idFor(type, length, in); // the id only; the object is not stored
          }
        };
         ObjectReader reader = repository.newObjectReader()) {
      now = new WorkingTreeCapture(repository, hashOnly, reader, maxFileSizeBytes, false).writeTree();
    } catch (IOException e) {
      throw new GitException("Could not hash the working tree of " + workTree + ": " + e.getMessage(), e);
    }
    try (RevWalk walk = new RevWalk(repository)) {
      for (String commit : snapshotCommits) {
        try {
          if (walk.parseCommit(ObjectId.fromString(commit)).getTree().equals(now)) {
            return Optional.of(commit);
          }
        } catch (IOException | IllegalArgumentException e) {
          // not readable: it keeps nothing
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Writes a commit of {@code tree} whose first parent is the tree's base commit (none in an empty repository)
   * and, when the capture has its state (format 2), whose last parent is the state commit; see
   * {@link SnapshotStateCodec}.
   */
  public String commitSnapshot(CapturedTree tree, String message, Instant when) {
    CommitBuilder commit = new CommitBuilder();
    PersonIdent ident = new PersonIdent("Cortex", "cortex@localhost", when, ZoneOffset.UTC);
    commit.setAuthor(ident);
    commit.setCommitter(ident);
    commit.setTreeId(ObjectId.fromString(tree.treeId()));
    commit.setMessage(message);
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      List<ObjectId> parents = new ArrayList<>();
      if (tree.baseCommit() != null) {
        parents.add(ObjectId.fromString(tree.baseCommit()));
      }
      if (tree.stateTree() != null) {
        parents.add(SnapshotStateCodec.stateCommit(inserter, ObjectId.fromString(tree.stateTree()), when));
      }
      commit.setParentIds(parents);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id.name();
    } catch (IOException e) {
      throw new GitException("Could not write the snapshot commit in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /**
   * Points {@code refName} at {@code commitId}. Without {@code overwrite} the ref must not
   * exist yet (compare-and-set against "absent"), so two writers can never both win.
   */
  public void writeRef(String refName, String commitId, boolean overwrite) {
    try {
      RefUpdate update = repository.updateRef(refName);
      update.setNewObjectId(ObjectId.fromString(commitId));
      if (overwrite) {
        update.setForceUpdate(true);
      } else {
        update.setExpectedOldObjectId(ObjectId.zeroId());
      }
      RefUpdate.Result result = update.update();
      switch (result) {
        case NEW, FORCED, NO_CHANGE, FAST_FORWARD -> { }
        default -> throw refFailure(refName, result, "write ref " + refName);
      }
    } catch (IOException e) {
      throw new GitException("Could not write ref " + refName + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /**
   * Compare-and-set: points {@code refName} at {@code commitId} only while it still points at
   * {@code expectedOldId} ({@code null}: only while it does not exist). A writer that changed the ref
   * meanwhile makes this fail instead of being clobbered.
   */
  public void updateRef(String refName, String commitId, String expectedOldId) {
    try {
      RefUpdate update = repository.updateRef(refName);
      update.setNewObjectId(ObjectId.fromString(commitId));
      update.setExpectedOldObjectId(expectedOldId == null ? ObjectId.zeroId() : ObjectId.fromString(expectedOldId));
      update.setForceUpdate(true); // the expected old id is the guard; the new commit need not descend from it
      RefUpdate.Result result = update.update();
      switch (result) {
        case NEW, FORCED, NO_CHANGE, FAST_FORWARD -> { }
        default -> throw refFailure(refName, result, "write ref " + refName + " (expected "
            + (expectedOldId == null ? "no ref" : expectedOldId) + ")");
      }
    } catch (IOException e) {
      throw new GitException("Could not write ref " + refName + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails with a {@link StaleGitLockException} when a git lock file is in the way of a write: {@code index.lock},
   * {@code HEAD.lock}, {@code packed-refs.lock}, the current branch's lock, or the lock of one of {@code refNames}
   * (the refs the caller is about to write); see {@link GitLockFiles}. A few {@code stat} calls, however many refs
   * the repository has.
   */
  public void requireNoGitLocks(String attempted, String... refNames) {
    GitLockFiles.requireNone(repository, workTree, attempted, List.of(refNames));
  }

  /**
   * Removes the lock files an interrupted Cortex write of this repository left, given when it began and the refs
   * it wrote; see {@link LeftoverLockFiles}. Only for a write whose process is known to be gone.
   */
  public List<Path> removeLockFilesLeftBy(Instant writeBegan, java.util.Collection<String> refNames) {
    try {
      return LeftoverLockFiles.remove(repository, writeBegan, refNames);
    } catch (IOException e) {
      throw new GitException("Could not remove the lock files an interrupted write left in " + workTree + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Removes the lock file a Cortex process killed while writing checkpoint ref {@code refName} left behind;
   * see {@link LeftoverLockFiles#removeCheckpointRefLock}. Only for a checkpoint id without a catalogue row,
   * under the repository's lock.
   */
  public Optional<Path> removeLeftoverCheckpointRefLock(String refName) {
    try {
      return LeftoverLockFiles.removeCheckpointRefLock(repository, refName);
    } catch (IOException e) {
      throw new GitException("Could not remove the lock file of " + refName + " in " + workTree + ": "
          + e.getMessage(), e);
    }
  }

  private GitException refFailure(String refName, RefUpdate.Result result, String attempted) {
    if (result == RefUpdate.Result.LOCK_FAILURE) {
      Optional<StaleGitLockException> stale = GitLockFiles.explain(repository, workTree,
          GitLockFiles.lockFileOf(repository, refName), attempted);
      if (stale.isPresent()) {
        return stale.get();
      }
      return new GitException("Could not " + attempted + " in " + workTree + ": " + result
          + " (the ref was changed by another writer meanwhile, or is locked by another git process)");
    }
    return new GitException("Could not " + attempted + " in " + workTree + ": " + result);
  }

  /** The commit a ref points to, if the ref exists. */
  public Optional<String> resolveRef(String refName) {
    try {
      Ref ref = repository.exactRef(refName);
      return ref == null || ref.getObjectId() == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
    } catch (IOException e) {
      throw new GitException("Could not read ref " + refName + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a ref if it exists. */
  public void deleteRef(String refName) {
    try {
      if (repository.exactRef(refName) == null) {
        return;
      }
      RefUpdate update = repository.updateRef(refName);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.delete();
      if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
        throw refFailure(refName, result, "delete ref " + refName);
      }
    } catch (IOException e) {
      throw new GitException("Could not delete ref " + refName + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** Compare-and-delete: deletes {@code refName} only while it points at {@code expectedOldId}; absent is fine. */
  public void deleteRef(String refName, String expectedOldId) {
    try {
      if (repository.exactRef(refName) == null) {
        return;
      }
      RefUpdate update = repository.updateRef(refName);
      update.setExpectedOldObjectId(ObjectId.fromString(expectedOldId));
      update.setForceUpdate(true);
      RefUpdate.Result result = update.delete();
      if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
        throw refFailure(refName, result, "delete ref " + refName + " (expected " + expectedOldId + ")");
      }
    } catch (IOException e) {
      throw new GitException("Could not delete ref " + refName + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** Checkpoint refs of one session, or of all sessions when {@code sessionId} is null. */
  public List<CheckpointRef> checkpointRefs(String sessionId) {
    String prefix = sessionId == null ? CheckpointRefs.PREFIX : CheckpointRefs.sessionPrefix(sessionId);
    try {
      List<CheckpointRef> result = new ArrayList<>();
      for (Ref ref : repository.getRefDatabase().getRefsByPrefix(prefix)) {
        String rest = ref.getName().substring(CheckpointRefs.PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash > 0 && ref.getObjectId() != null) {
          result.add(new CheckpointRef(rest.substring(0, slash), rest.substring(slash + 1), ref.getObjectId().name()));
        }
      }
      return result;
    } catch (IOException e) {
      throw new GitException("Could not list checkpoint refs in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** The full message of a commit. */
  public String commitMessage(String commitId) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(commitId));
      return commit.getFullMessage();
    } catch (IOException | IllegalArgumentException e) {
      throw new GitException("Could not read commit " + commitId + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** HEAD's commit, empty in a repository without commits. */
  public Optional<String> head() {
    try {
      ObjectId head = repository.resolve(Constants.HEAD);
      return Optional.ofNullable(head).map(ObjectId::name);
    } catch (IOException e) {
      throw new GitException("Could not resolve HEAD in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** The checked-out branch's short name, empty on a detached HEAD. */
  public Optional<String> currentBranch() {
    try {
      String full = repository.getFullBranch();
      return full != null && full.startsWith(Constants.R_HEADS)
          ? Optional.of(Repository.shortenRefName(full)) : Optional.empty();
    } catch (IOException e) {
      throw new GitException("Could not read HEAD in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /**
   * The tree of an existing commit, as a capture based on that commit: used to wrap a plain
   * commit (e.g. from an imported seed file) into a Cortex snapshot.
   */
  public CapturedTree treeOfCommit(String commitish) {
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(commitish + "^{commit}");
      if (id == null) {
        throw new GitException("Commit " + commitish + " not found in " + workTree);
      }
      RevCommit commit = walk.parseCommit(id);
      return new CapturedTree(commit.getTree().name(), commit.name(), null, 0, 0, java.util.List.of(), null);
    } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
      throw new GitException("Commit " + commitish + " cannot be read in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /** State and uncommitted files, for a rollback's safety check. Reads only; writes nothing. */
  public RepositoryStatus status() {
    try {
      org.eclipse.jgit.api.Status status = org.eclipse.jgit.api.Git.wrap(repository).status().call();
      java.util.TreeSet<String> files = new java.util.TreeSet<>();
      files.addAll(status.getAdded());
      files.addAll(status.getChanged());
      files.addAll(status.getModified());
      files.addAll(status.getMissing());
      files.addAll(status.getRemoved());
      files.addAll(status.getUntracked());
      files.addAll(status.getConflicting());
      return new RepositoryStatus(operationInProgress(repository.getRepositoryState()), new ArrayList<>(files),
          head().orElse(null), currentBranch().orElse(null));
    } catch (org.eclipse.jgit.api.errors.GitAPIException | RuntimeException e) {
      throw new GitException("Could not read the status of " + workTree + ": " + e.getMessage(), e);
    }
  }

  private static String operationInProgress(org.eclipse.jgit.lib.RepositoryState state) {
    return switch (state) {
      case MERGING, MERGING_RESOLVED -> "Merge";
      case REBASING, REBASING_REBASING, REBASING_MERGE, REBASING_INTERACTIVE -> "Rebase";
      case CHERRY_PICKING, CHERRY_PICKING_RESOLVED -> "Cherry-pick";
      case REVERTING, REVERTING_RESOLVED -> "Revert";
      case BISECTING -> "Bisect";
      case APPLY -> "Apply (git am)";
      default -> null;
    };
  }

  /**
   * Resets the current branch (or a detached HEAD) to {@code baseCommit} and makes the index and
   * working tree equal the snapshot; see {@link SnapshotRestore}. Take a snapshot first: this
   * overwrites and deletes files.
   */
  public RestoreResult restoreSnapshot(String snapshotCommit, String baseCommit, long maxFileSizeBytes) {
    return restore(new SnapshotRestore(repository, maxFileSizeBytes), snapshotCommit, baseCommit);
  }

  /**
   * {@link #restoreSnapshot} with a compare-and-set on the branch: HEAD is moved only while it still points at
   * {@code expectedHead} (null: an unborn branch), the commit a rollback's PRE_ROLLBACK checkpoint was based on.
   * A commit made in between is never dropped from the branch; the restore fails before any file is touched.
   */
  public RestoreResult restoreSnapshot(String snapshotCommit, String baseCommit, long maxFileSizeBytes,
                                       String expectedHead) {
    return restore(new SnapshotRestore(repository, maxFileSizeBytes).expectingHead(expectedHead), snapshotCommit,
        baseCommit);
  }

  /**
   * {@link #restoreSnapshot(String, String, long, String)} leaving HEAD on {@code head}: the ref moved is that
   * branch (checked out if it is not), or a detached HEAD; {@code expectedHead} guards the moved ref.
   */
  public RestoreResult restoreSnapshot(String snapshotCommit, String baseCommit, long maxFileSizeBytes,
                                       String expectedHead, HeadTarget head) {
    return restore(new SnapshotRestore(repository, maxFileSizeBytes).expectingHead(expectedHead).leavingHead(head),
        snapshotCommit, baseCommit);
  }

  /** Restores with HEAD left on {@code head}, without a compare-and-set: to put back the state before a failure. */
  public RestoreResult restoreSnapshotUnguarded(String snapshotCommit, String baseCommit, long maxFileSizeBytes,
                                                HeadTarget head) {
    return restore(new SnapshotRestore(repository, maxFileSizeBytes).leavingHead(head), snapshotCommit, baseCommit);
  }

  /**
   * What {@link #restoreSnapshot} would do, and every conflict that would stop it — the same plan, computed
   * without writing or locking anything (the dry run).
   */
  public RestorePlan planRestore(String snapshotCommit, String baseCommit, long maxFileSizeBytes, HeadTarget head) {
    try {
      return new SnapshotRestore(repository, maxFileSizeBytes).leavingHead(head).plan(snapshotCommit, baseCommit);
    } catch (IOException e) {
      throw new GitException("Could not plan the restore of " + snapshotCommit + " in " + workTree + ": "
          + e.getMessage(), e);
    }
  }

  /** The snapshot format of a snapshot commit: 2 when it carries its state, 1 for the tree alone. */
  public int snapshotFormat(String snapshotCommit) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(snapshotCommit));
      return SnapshotStateCodec.stateCommitOf(walk.getObjectReader(), commit) == null ? 1 : SnapshotState.FORMAT;
    } catch (IOException | IllegalArgumentException e) {
      throw new GitException("Could not read snapshot " + snapshotCommit + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  private RestoreResult restore(SnapshotRestore restore, String snapshotCommit, String baseCommit) {
    try {
      return restore.reportingTo(progress).restore(snapshotCommit, baseCommit);
    } catch (org.eclipse.jgit.errors.LockFailedException e) {
      throw lockFailure(e, "restore snapshot " + snapshotCommit);
    } catch (IOException e) {
      throw new GitException("Could not restore snapshot " + snapshotCommit + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes only {@code paths} (files or folders) equal to the snapshot — written, or deleted
   * where the snapshot has none — in the working tree and the index. HEAD and every other path
   * stay as they are. Used to re-apply a change step by step.
   */
  public RestoreResult restorePaths(String snapshotCommit, java.util.Collection<String> paths, long maxFileSizeBytes) {
    if (paths.isEmpty()) {
      return new RestoreResult(List.of(), List.of(), List.of());
    }
    try {
      return new SnapshotRestore(repository, maxFileSizeBytes, new java.util.TreeSet<>(paths)).restore(snapshotCommit, null);
    } catch (org.eclipse.jgit.errors.LockFailedException e) {
      throw lockFailure(e, "restore " + paths + " from " + snapshotCommit);
    } catch (IOException e) {
      throw new GitException("Could not restore " + paths + " from " + snapshotCommit + " in " + workTree + ": "
          + e.getMessage(), e);
    }
  }

  /** JGit could not create a lock file (the index's, when a restore locks it): say which one is in the way. */
  private GitException lockFailure(org.eclipse.jgit.errors.LockFailedException e, String attempted) {
    java.io.File file = e.getFile() == null ? null : new java.io.File(e.getFile().getPath() + ".lock");
    GitException explained = GitLockFiles.explain(repository, workTree, file, attempted)
        .map(GitException.class::cast)
        .orElseGet(() -> new GitException("Could not " + attempted + " in " + workTree + ": " + e.getMessage(), e));
    explained.addSuppressed(e);
    return explained;
  }

  /** Whether a commit and its tree can be read (a rollback checks this before touching anything). */
  public boolean isReadableCommit(String commitId) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(commitId));
      return repository.getObjectDatabase().has(commit.getTree());
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The bytes {@code snapshotCommit} holds beyond {@code baseCommit} (null: all its blobs); see {@link SnapshotSize}.
   * Used by retention to enforce a size limit per repository.
   */
  public long snapshotSizeBytes(String snapshotCommit, String baseCommit) {
    try {
      return SnapshotSize.bytesBeyondBase(repository, snapshotCommit, baseCommit);
    } catch (IOException | IllegalArgumentException e) {
      throw new GitException("Could not size snapshot " + snapshotCommit + " in " + workTree + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}
