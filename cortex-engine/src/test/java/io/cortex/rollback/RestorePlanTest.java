package io.cortex.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.config.CheckpointConfig;
import io.cortex.config.CortexConfig;
import io.cortex.git.GitWorkspace;
import io.cortex.testing.RepoState;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One planner serves the dry run and the rollback: what the preview lists is what the rollback does, skip rules
 * included (size cap, nested repositories, ignored files under the rules now and the checkpoint's); only what
 * differs is written; and checkpoints of the old format restore exactly as they always did.
 */
class RestorePlanTest {

  private static final long CAP = 1024;
  private static Cortex cortex;

  @TempDir
  Path temp;

  @BeforeAll
  static void startEngine() {
    CortexConfig defaults = CortexConfig.defaults();
    CheckpointConfig c = defaults.checkpoint();
    cortex = TestEngines.cortex(new CortexConfig(new CheckpointConfig(c.maxCheckpoints(), c.retentionMs(),
        c.minIntervalMs(), CAP, c.autoCheckpoint()), defaults.recovery(), defaults.gates(), defaults.retention(),
        defaults.database(), defaults.server()));
  }

  @AfterAll
  static void stopEngine() {
    cortex.engine().close();
  }

  @Test
  void previewListsExactlyWhatTheRollbackDoesUnderEverySkipRule() throws Exception {
    // given: a checkpoint, then every kind of change and every skip rule
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "*.log\n").write("a.txt", "a\n").write("b.txt", "b\n")
        .write("gone.txt", "g\n").write("mode.txt", "m\n").commitAll("one");
    cortex.startSession(Workflow.PLANNING, "plan-1", repo.dir());
    repo.write(".gitignore", "*.log\n.env\n").write("a.txt", "changed\n").delete("gone.txt")
        .write("new.txt", "untracked\n").write("tracked-new.txt", "staged\n").write(".env", "ignored by the new rules\n")
        .write("debug.log", "ignored by both\n").write("big.bin", new byte[(int) CAP * 4]);
    repo.git("add", "tracked-new.txt");
    Files.setPosixFilePermissions(repo.dir().resolve("mode.txt"), PosixFilePermissions.fromString("rw-------"));
    Path nested = Files.createDirectories(repo.dir().resolve("vendor/lib"));
    TempRepo.open(nested).git("init", "-q");
    Files.writeString(nested.resolve("inner.txt"), "inner\n");

    // when
    RollbackPreview preview = cortex.preview("plan-1", "session-start");
    RollbackResult result = cortex.rollback("plan-1", "session-start", true);

    // then: the same lists, and the skip rules applied by both
    assertThat(preview.conflicts()).isEmpty();
    assertThat(sorted(preview.modified(), preview.added())).isEqualTo(sorted(result.written()));
    assertThat(sorted(preview.deleted(), preview.untrackedRemoved())).isEqualTo(sorted(result.deleted()));
    assertThat(sorted(preview.leftAlone())).isEqualTo(sorted(result.leftAlone())).contains("big.bin", "vendor/lib");
    assertThat(preview.keptIgnored()).contains(".env", "debug.log");
    assertThat(preview.permissionsChanged()).containsExactly("mode.txt");
    assertThat(preview.modified()).containsExactlyInAnyOrder("a.txt", ".gitignore");
    assertThat(preview.added()).containsExactly("gone.txt");
    assertThat(preview.untrackedRemoved()).containsExactly("new.txt");
    assertThat(preview.deleted()).containsExactly("tracked-new.txt");
    assertThat(repo.read(".env")).isEqualTo("ignored by the new rules\n");
    assertThat(repo.read("debug.log")).isEqualTo("ignored by both\n");
    assertThat(repo.dir().resolve("big.bin")).exists();
    assertThat(nested.resolve("inner.txt")).exists();
    assertThat(cortex.preview("plan-1", "session-start").modified()).as("nothing left to do").isEmpty();
  }

  @Test
  void previewNamesTheConflictThatStopsTheRollback() throws Exception {
    // given: the checkpoint has a file 'out'; now a folder out/ holds an ignored log
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "*.log\n").write("out", "file\n").commitAll("one");
    cortex.startSession(Workflow.PLANNING, "plan-2", repo.dir());
    repo.delete("out").write("out/run.log", "log\n");

    // when
    RollbackPreview preview = cortex.preview("plan-2", "session-start");

    // then
    assertThat(preview.conflicts()).singleElement().asString().contains("out", "out/run.log", "ignored");
  }

  @Test
  void unchangedFilesKeepTheirBytesAndMtime() throws Exception {
    // given: many files, one changed after the checkpoint
    TempRepo repo = TempRepo.init(temp);
    for (int i = 0; i < 20; i++) {
      repo.write("src/f" + i + ".txt", "file " + i + "\n");
    }
    repo.commitAll("one");
    cortex.startSession(Workflow.PLANNING, "plan-3", repo.dir());
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    for (int i = 0; i < 20; i++) {
      Files.setLastModifiedTime(repo.dir().resolve("src/f" + i + ".txt"), old);
    }
    repo.git("update-index", "--refresh");
    repo.write("src/f7.txt", "changed\n");

    // when
    RollbackResult result = cortex.rollback("plan-3", "session-start", true);

    // then
    assertThat(result.written()).containsExactly("src/f7.txt");
    for (int i = 0; i < 20; i++) {
      if (i != 7) {
        assertThat(Files.getLastModifiedTime(repo.dir().resolve("src/f" + i + ".txt"))).isEqualTo(old);
      }
    }
    assertThat(repo.git("status", "--porcelain")).isEmpty();
  }

  @Test
  void aCheckpointOfTheOldFormatRestoresAsItAlwaysDid() throws Exception {
    // given: a snapshot commit of format 1 (the tree alone, as every checkpoint written before format 2)
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("one");
    String base = repo.git("rev-parse", "HEAD").trim();
    repo.write("a.txt", "modified\n").write("untracked.txt", "u\n");
    String snapshot;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      snapshot = git.commitSnapshot(git.captureTreeOnly(Long.MAX_VALUE), "old\n", Instant.now());
      assertThat(git.snapshotFormat(snapshot)).isEqualTo(1);
    }
    String tree = repo.git("rev-parse", snapshot + "^{tree}").trim();
    repo.write("a.txt", "later\n").delete("untracked.txt");

    // when
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      git.restoreSnapshot(snapshot, base, Long.MAX_VALUE);
    }

    // then: files as the tree has them, the index equal to the tree (untracked files staged), as before
    assertThat(repo.read("a.txt")).isEqualTo("modified\n");
    assertThat(repo.read("untracked.txt")).isEqualTo("u\n");
    assertThat(repo.git("write-tree").trim()).isEqualTo(tree);
    assertThat(repo.git("status", "--porcelain")).isEqualTo("M  a.txt\nA  untracked.txt\n");
    assertThat(RepoState.of(repo).get(":HEAD")).isEqualTo("refs/heads/main " + base);
  }

  @SafeVarargs
  private static List<String> sorted(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return new ArrayList<>(new TreeSet<>(all));
  }
}
