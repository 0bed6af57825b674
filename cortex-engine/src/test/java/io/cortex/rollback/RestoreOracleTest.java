package io.cortex.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.testing.RepoState;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test with native git as the oracle. Generated repositories with the set-ups teams have — clean
 * filters (lossy, reversible, a real git-lfs), {@code core.autocrlf} and {@code eol} attributes, sparse cones,
 * partial staging, assume-unchanged and skip-worktree edits, intent-to-add, ignored symlinks to a folder outside,
 * {@code .gitignore} changes, permissions 600/400/664/755, unborn branches, branch switches and detached HEADs —
 * get random edits, checkpoints, and random rollbacks and undos. After each rollback or undo the repository is
 * compared with what git says the state must be:
 * <ul>
 *   <li>every file that git tracks or sees (not ignored): kind, permission bits and bytes as the checkpoint saw
 *       them; every ignored file as it was (never deleted, never overwritten);</li>
 *   <li>the index as recorded ({@code git ls-files -s -v}, extended flags), the sparse patterns;</li>
 *   <li>HEAD and branches: a rollback moves the branch checked out to the checkpoint's base commit, an undo
 *       returns exactly the branches and HEAD before the rollback;</li>
 *   <li>nothing outside the work tree changed, {@code git fsck} clean;</li>
 *   <li>a rollback that has to refuse (an ignored symlink or file in the way, an ignored file it would overwrite)
 *       refuses exactly when git's view predicts it, and changes nothing.</li>
 * </ul>
 * {@code -Dcortex.oracle.cases=N} sets the number of generated repositories (the soak: thousands),
 * {@code -Dcortex.oracle.seed=S} the first seed (a failure names its seed).
 */
class RestoreOracleTest {

  private static final int CASES = Integer.getInteger("cortex.oracle.cases", 150);
  private static final long FIRST_SEED = Long.getLong("cortex.oracle.seed", 1);
  private static final boolean LFS = lfsInstalled();

  private static Cortex cortex;

  @TempDir
  Path temp;

  private final long[] nanos = new long[5]; // cortex, see, expect, fsck, edits
  private int statesCompared;
  private int conflictsPredicted;
  private int rollbacks;
  private int undos;

  @BeforeAll
  static void startEngine() {
    cortex = TestEngines.cortex();
  }

  @AfterAll
  static void stopEngine() {
    cortex.engine().close();
  }

  @Test
  void rollbackAndUndoGiveWhatGitSaysTheStateMustBe() throws Exception {
    long started = System.nanoTime();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + CASES; seed++) {
      Case c = new Case(seed, Files.createTempDirectory(temp, "case"));
      try {
        c.run();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " failed after:\n" + String.join("\n", c.log)
            + "\n(rerun with -Dcortex.oracle.seed=" + seed + " -Dcortex.oracle.cases=1)", e);
      }
      if ((seed - FIRST_SEED + 1) % 100 == 0) {
        System.out.printf("RestoreOracleTest progress: %d cases, %d states compared, %d refusals, 0 differences%n",
            seed - FIRST_SEED + 1, statesCompared, conflictsPredicted);
      }
    }
    System.out.printf("RestoreOracleTest timing: cortex %.1f s, see %.1f s, expect %.1f s, fsck %.1f s, edits %.1f s%n",
        nanos[0] / 1e9, nanos[1] / 1e9, nanos[2] / 1e9, nanos[3] / 1e9, nanos[4] / 1e9);
    System.out.printf("RestoreOracleTest: %d cases, %d states compared (%d rollbacks, %d undos), %d refusals"
            + " predicted and met, 0 differences, git-lfs %s, %.1f s%n", CASES, statesCompared, rollbacks, undos,
        conflictsPredicted, LFS ? "used" : "NOT INSTALLED", (System.nanoTime() - started) / 1e9);
    assertThat(LFS).as("git-lfs must be installed (apt-get install git-lfs)").isTrue();
  }

  /** What git says about a repository at one moment: its state, and which untracked files it ignores. */
  private record Seen(Map<String, String> state, Set<String> ignored, Set<String> tracked,
                      Map<String, String> gitignores, String base) {
  }

  private final class Case {
    final long seed;
    final Random random;
    final TempRepo repo;
    final Path outside;
    final List<String> log = new ArrayList<>();
    final Map<String, Seen> checkpoints = new LinkedHashMap<>();
    final String session;
    int checkpointCount;
    int branchCount;
    /** A scratch repository holding the .gitignore files of a state, for git check-ignore. */
    TempRepo rules;
    final List<String> rulesWritten = new ArrayList<>();
    boolean sparse;

    Case(long seed, Path dir) throws IOException {
      this.seed = seed;
      this.random = new Random(seed);
      this.repo = TempRepo.init(dir);
      this.outside = Files.createDirectories(dir.resolve("outside"));
      // not lib.txt: git itself clears the skip-worktree bit of vendor/lib.txt when a symlink vendor makes it "present"
      Files.writeString(outside.resolve("keep.txt"), "outside the repository\n");
      this.session = "oracle-" + seed + "-" + System.nanoTime();
    }

    void run() throws Exception {
      setUp();
      cortex.startSession(Workflow.PLANNING, session, repo.dir());
      checkpoints.put("session-start", see());
      Map<String, String> outsideBefore = RepoState.files(outside);
      int steps = 6 + random.nextInt(6);
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(10);
        if (op < 6) {
          long t0 = System.nanoTime();
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            edit();
          }
          nanos[4] += System.nanoTime() - t0;
        } else if (op < 8) {
          String id = "c-" + (++checkpointCount);
          log.add("checkpoint " + id);
          checkpoints.put(id, see());
          long t0 = System.nanoTime();
          cortex.createCheckpoint(session, id, Map.of());
          nanos[0] += System.nanoTime() - t0;
        } else {
          rollbackAndUndo();
        }
        assertThat(RepoState.files(outside)).as("nothing outside the work tree changed").isEqualTo(outsideBefore);
      }
      rollbackAndUndo();
    }

    void setUp() throws IOException {
      boolean autocrlf = random.nextInt(4) == 0;
      boolean lfs = LFS && random.nextInt(4) == 0;
      if (autocrlf) {
        repo.git("config", "core.autocrlf", random.nextBoolean() ? "true" : "input");
      }
      repo.git("config", "filter.strip.clean", "grep -v '^OUTPUT' || true");
      repo.git("config", "filter.rot.clean", "tr A-Za-z N-ZA-Mn-za-m");
      repo.git("config", "filter.rot.smudge", "tr A-Za-z N-ZA-Mn-za-m");
      StringBuilder attributes = new StringBuilder("*.nb filter=strip\n*.secret filter=rot\n*.crlf text eol=crlf\n");
      if (lfs) {
        repo.git("lfs", "install", "--local");
        attributes.append("*.bin filter=lfs diff=lfs merge=lfs -text\n");
      }
      repo.write(".gitattributes", attributes.toString());
      repo.write(".gitignore", "*.log\nbuild/\n/vendor\n*.lnk\n");
      log.add("set up: autocrlf=" + autocrlf + " lfs=" + lfs);
      boolean unborn = random.nextInt(6) == 0;
      for (int i = 0; i < 4 + random.nextInt(4); i++) {
        edit();
      }
      if (unborn) {
        log.add("unborn branch");
        return;
      }
      repo.git("add", "-A");
      repo.git("commit", "-q", "--allow-empty", "-m", "initial");
      if (random.nextInt(5) == 0) {
        sparse = true;
        repo.write("src/main/keep.txt", "kept in the cone\n").write("src/test/t1.txt", "outside the cone\n");
        repo.git("add", "-A");
        repo.git("commit", "-q", "-m", "cone");
        repo.git("sparse-checkout", "set", "--cone", "src/main");
        log.add("sparse cone src/main");
      }
    }

    private final String[] paths = {"a.txt", "src/main/b.txt", "src/test/t.txt", "docs/n.nb", "k.secret",
        "w.crlf", "m.bin", "out", "deep/x/y.txt", "id_rsa", ".env", "notes.tmp"};

    void edit() throws IOException {
      String path = paths[random.nextInt(paths.length)];
      Path file = repo.dir().resolve(path);
      int op = random.nextInt(16);
      log.add("edit " + op + " " + path);
      try {
        switch (op) {
          case 0, 1, 2, 3 -> write(path);
          case 4 -> {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
              Files.delete(file);
            }
          }
          case 5 -> {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
              String[] modes = {"rw-------", "r--------", "rw-rw-r--", "rwxr-xr-x", "rw-r--r--"};
              Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(modes[random.nextInt(modes.length)]));
            }
          }
          case 6 -> { // partial staging
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
              git("add", "--", path);
              write(path);
            }
          }
          case 7 -> git("add", "-A");
          case 8 -> git("commit", "-q", "-a", "--allow-empty", "-m", "commit " + random.nextInt(1000));
          case 9 -> { // a flag that hides local edits, then an edit
            if (!repo.git("ls-files", "--", path).isEmpty() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
              git("update-index", random.nextBoolean() ? "--assume-unchanged" : "--skip-worktree", "--", path);
              write(path);
            }
          }
          case 10 -> { // ignored files
            repo.write("build/out" + random.nextInt(3) + ".o", bytes(64)).write("debug.log", "log " + random.nextInt() + "\n");
          }
          case 11 -> { // .gitignore changes between states
            String pattern = random.nextBoolean() ? ".env" : "*.tmp";
            repo.write(".gitignore", repo.read(".gitignore") + pattern + "\n");
            write(pattern.equals(".env") ? ".env" : "notes.tmp");
            if (random.nextBoolean()) {
              git("add", ".gitignore");
            }
          }
          case 12 -> { // an ignored symlink to a folder outside the work tree
            Path link = repo.dir().resolve(random.nextBoolean() ? "vendor" : "ext.lnk");
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
              Files.createSymbolicLink(link, outside);
            }
          }
          case 13 -> { // a folder where a file was, holding an ignored log
            Path out = repo.dir().resolve("out");
            if (Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
              Files.delete(out);
              repo.write("out/run.log", "log\n");
            } else if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
              Path vendor = repo.dir().resolve("vendor");
              if (!Files.exists(vendor, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(vendor, LinkOption.NOFOLLOW_LINKS)) {
                repo.write("vendor/lib.txt", "vendored\n");
                git("add", "-f", "vendor/lib.txt");
              }
            }
          }
          case 14 -> { // branches: a new one carrying the changes, back to main, or detached
            int choice = random.nextInt(3);
            if (choice == 0) {
              git("switch", "-q", "-c", "feature-" + (++branchCount));
            } else if (choice == 1) {
              git("switch", "-q", "main");
            } else {
              git("switch", "-q", "--detach");
            }
          }
          default -> { // intent to add
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && repo.git("ls-files", "--", path).isEmpty()) {
              git("add", "-N", "--", path);
            }
          }
        }
      } catch (java.nio.file.FileSystemException e) {
        log.add("  (skipped: " + e.getMessage() + ")");
      }
    }

    /** A git command a user might run; when git refuses (nothing to commit, a switch that would lose work) so be it. */
    void git(String... args) {
      try {
        repo.git(args);
      } catch (AssertionError refused) {
        log.add("  (git refused: " + String.join(" ", args) + ")");
      }
    }

    void write(String path) throws IOException {
      Path file = repo.dir().resolve(path);
      if (Files.isSymbolicLink(file.getParent()) || Files.isSymbolicLink(file)
          || (Files.exists(file.getParent(), LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS))
          || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        return; // not through a link, not over a folder: the user's own edits stay ordinary
      }
      if (path.endsWith(".bin")) {
        repo.write(path, bytes(20_000 + random.nextInt(20_000)));
        return;
      }
      StringBuilder text = new StringBuilder();
      String eol = random.nextInt(3) == 0 ? "\r\n" : "\n";
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        text.append(path.endsWith(".nb") && random.nextBoolean() ? "OUTPUT " : "line ").append(random.nextInt(100))
            .append(random.nextInt(5) == 0 ? "\r\n" : eol);
      }
      repo.write(path, text.toString());
    }

    byte[] bytes(int n) {
      byte[] b = new byte[n];
      random.nextBytes(b);
      return b;
    }

    /** The state as git sees it now. */
    Seen see() throws IOException {
      long t0 = System.nanoTime();
      try {
        return seeTimed();
      } finally {
        nanos[1] += System.nanoTime() - t0;
      }
    }

    Seen seeTimed() throws IOException {
      Map<String, String> state = RepoState.of(repo);
      Set<String> ignored = lines(repo.git("ls-files", "-z", "-o", "-i", "--exclude-standard"));
      Set<String> tracked = lines(repo.git("ls-files", "-z"));
      Map<String, String> gitignores = new TreeMap<>();
      for (String path : state.keySet()) {
        if (path.equals(".gitignore") || path.endsWith("/.gitignore")) {
          gitignores.put(path, Files.readString(repo.dir().resolve(path)));
        }
      }
      String head = state.get(":HEAD");
      String commit = head.substring(head.lastIndexOf(' ') + 1);
      return new Seen(state, ignored, tracked, gitignores, commit.equals("unborn") ? null : commit);
    }

    void rollbackAndUndo() throws Exception {
      List<String> ids = new ArrayList<>(checkpoints.keySet());
      String id = ids.get(random.nextInt(ids.size()));
      Seen now = see();
      Seen target = checkpoints.get(id);
      log.add("rollback to " + id);
      long t0 = System.nanoTime();
      Expectation expected = expect(now, target, false);
      nanos[2] += System.nanoTime() - t0;
      boolean ok = attempt(() -> cortex.rollback(session, id, true), now, expected);
      rollbacks++;
      if (!ok) {
        return;
      }
      for (int n = random.nextInt(3); n >= 0; n--) {
        Seen afterRollback = see();
        log.add("undo");
        long t1 = System.nanoTime();
        Expectation back = expect(afterRollback, now, true);
        nanos[2] += System.nanoTime() - t1;
        ok = attempt(() -> cortex.undo(session, false), afterRollback, back);
        undos++;
        if (!ok) {
          return;
        }
        now = afterRollback;
      }
    }

    private boolean attempt(Runnable operation, Seen before, Expectation expected) {
      long t0 = System.nanoTime();
      try {
        operation.run();
      } catch (RollbackFailedException e) {
        nanos[0] += System.nanoTime() - t0;
        assertThat(expected.conflict).as("refused: %s", e.getMessage()).isNotNull();
        assertThat(e.aftermath()).isEqualTo(RollbackFailedException.Aftermath.NOTHING_CHANGED);
        assertThat(RepoState.of(repo)).as("a refused restore changes nothing").isEqualTo(before.state());
        conflictsPredicted++;
        statesCompared++;
        log.add("  refused as predicted: " + expected.conflict);
        return false;
      }
      nanos[0] += System.nanoTime() - t0;
      assertThat(expected.conflict).as("git's view predicts a refusal").isNull();
      assertThat(RepoState.of(repo)).isEqualTo(expected.state);
      long t1 = System.nanoTime();
      assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
      nanos[3] += System.nanoTime() - t1;
      statesCompared++;
      return true;
    }

    /**
     * What the repository must look like after restoring {@code target} over {@code now}: files git sees as the
     * target had them, ignored files as they are; HEAD moved (rollback) or as it was (undo).
     */
    Expectation expect(Seen now, Seen target, boolean undo) throws IOException {
      Set<String> targetIgnores = ignoredUnder(target.gitignores(), unionFiles(now, target));
      Map<String, String> state = new TreeMap<>();
      String conflict = null;
      Set<String> paths = new TreeSet<>(unionFiles(now, target));
      for (String p : paths) {
        String current = now.state().get(p);
        String wanted = target.ignored().contains(p) ? null : target.state().get(p);
        boolean untracked = !now.tracked().contains(p);
        boolean protectedNow = current != null && untracked && now.ignored().contains(p);
        boolean protectedFromDelete = current != null && untracked
            && (now.ignored().contains(p) || targetIgnores.contains(p));
        String value;
        if (wanted != null) {
          if (protectedNow && !content(current).equals(content(wanted))) {
            conflict = "ignored " + p + " would be overwritten";
          }
          value = wanted;
        } else {
          value = protectedFromDelete ? current : null;
        }
        if (value != null) {
          state.put(p, value);
        }
      }
      // the leading folders of every file to restore: an ignored file or symlink standing there is in the way
      for (String p : paths) {
        String wanted = target.ignored().contains(p) ? null : target.state().get(p);
        if (wanted == null) {
          continue;
        }
        for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
          String prefix = p.substring(0, slash);
          if (state.containsKey(prefix)) {
            conflict = prefix + " (kept) stands where " + p + " needs a folder";
          }
        }
        for (String kept : state.keySet()) {
          if (kept.startsWith(p + "/")) {
            conflict = p + " is a folder holding " + kept + " (kept)";
          }
        }
      }
      if (!undo && target.base() == null && now.state().get(":HEAD").startsWith("detached")) {
        conflict = "detached HEAD, unborn target";
      }
      for (String key : List.of(":index", ":index-flags", ":sparse-checkout")) {
        state.put(key, target.state().get(key));
      }
      if (undo) {
        state.put(":HEAD", target.state().get(":HEAD"));
        state.put(":branches", target.state().get(":branches"));
      } else {
        String head = now.state().get(":HEAD");
        String symbolic = head.substring(0, head.indexOf(' '));
        state.put(":HEAD", symbolic + " " + (target.base() == null ? "unborn" : target.base()));
        List<String> branches = new ArrayList<>();
        for (String line : now.state().get(":branches").split("\n")) {
          if (!line.isEmpty() && !line.startsWith(symbolic + " ")) {
            branches.add(line);
          }
        }
        if (!symbolic.equals("detached") && target.base() != null) {
          branches.add(symbolic + " " + target.base());
        }
        branches.sort(String::compareTo);
        state.put(":branches", branches.stream().map(b -> b + "\n").reduce("", String::concat));
      }
      return new Expectation(state, conflict);
    }

    private Set<String> unionFiles(Seen a, Seen b) {
      Set<String> files = new TreeSet<>();
      for (Map<String, String> s : List.of(a.state(), b.state())) {
        s.keySet().stream().filter(k -> !k.startsWith(":")).forEach(files::add);
      }
      return files;
    }

    /** Which of {@code paths} the rules of {@code gitignores} (and info/exclude) ignore: git check-ignore on a scratch copy. */
    private Set<String> ignoredUnder(Map<String, String> gitignores, Set<String> paths) throws IOException {
      if (rules == null) {
        rules = TempRepo.init(Files.createTempDirectory(temp, "rules"));
      }
      for (String old : rulesWritten) {
        Files.deleteIfExists(rules.dir().resolve(old));
      }
      rulesWritten.clear();
      for (Map.Entry<String, String> g : gitignores.entrySet()) {
        rules.write(g.getKey(), g.getValue());
        rulesWritten.add(g.getKey());
      }
      Path input = Files.createTempFile(temp, "paths", ".txt");
      Files.write(input, String.join("\0", paths).concat("\0").getBytes(StandardCharsets.UTF_8));
      Path errors = Files.createTempFile(temp, "errors", ".txt");
      Process process = new ProcessBuilder("git", "check-ignore", "--no-index", "--stdin", "-z")
          .directory(rules.dir().toFile()).redirectInput(input.toFile()).redirectError(errors.toFile()).start();
      Set<String> ignored = lines(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      try {
        if (process.waitFor() > 1) {
          throw new AssertionError("git check-ignore failed: " + Files.readString(errors) + " for " + paths);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ignored;
    }
  }

  private record Expectation(Map<String, String> state, String conflict) {
  }

  /** A file's kind and bytes without its permission bits (as {@link RepoState} writes it). */
  private static String content(String value) {
    return value.startsWith("link:") ? value : value.substring(value.indexOf(' ') + 1);
  }

  private static Set<String> lines(String nulSeparated) {
    Set<String> set = new HashSet<>();
    for (String s : nulSeparated.split("\0")) {
      if (!s.isEmpty()) {
        set.add(s);
      }
    }
    return set;
  }

  private static boolean lfsInstalled() {
    try {
      Process p = new ProcessBuilder("git", "lfs", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
