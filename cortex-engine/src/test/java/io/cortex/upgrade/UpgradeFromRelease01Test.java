package io.cortex.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.IntegrityHash;
import io.cortex.config.CortexConfig;
import io.cortex.testing.Release01Fixture;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory and repository made by Cortex 0.1, the release before versioned migrations (the fixture under
 * src/test/resources/io/cortex/upgrade, made by that release's own {@code ./cortex}), opened by this code on H2: the
 * tables are baselined, the old checkpoints restore exactly what they hold, undo puts back what was there, the session
 * goes on, and export/import and rebuild work on old checkpoints. The PostgreSQL side is
 * {@code io.cortex.cluster.PostgresUpgradeTest}.
 */
class UpgradeFromRelease01Test {

  private static final String SESSION = Release01Fixture.SESSION;
  private static final List<String> OLD_IDS =
      List.of("session-start", "red-1", "green-1", "before-experiment", "pre-rollback-1");

  @TempDir
  Path temp;

  @Test
  void aDataDirectoryOfRelease01OpensAndItsCheckpointsRestoreExactly() throws Exception {
    // given
    Release01Fixture fixture = Release01Fixture.unpack(temp);
    TempRepo repo = TempRepo.open(fixture.repo());
    String onDisk = repo.nativeSnapshotTree();
    String headBefore = repo.git("rev-parse", "HEAD").strip();

    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), fixture.data())) {
      // then: every old checkpoint is listed, intact, in its order
      List<Checkpoint> old = cortex.checkpoints(SESSION);
      assertThat(old).extracting(Checkpoint::checkpointId).containsExactlyElementsOf(OLD_IDS);
      assertThat(old).allMatch(IntegrityHash::matches);
      // 0.1's own rollback left before-experiment on disk
      assertThat(onDisk).isEqualTo(tree(repo, cortex.checkpoint(SESSION, "before-experiment")));

      // when / then: a rollback to an old checkpoint restores exactly what it holds, and undo what was there
      for (String target : List.of("red-1", "pre-rollback-1", "session-start")) {
        Checkpoint checkpoint = cortex.checkpoint(SESSION, target);
        cortex.rollback(SESSION, target, true);
        assertThat(repo.nativeSnapshotTree()).as("after rollback to " + target).isEqualTo(tree(repo, checkpoint));
        assertThat(repo.git("rev-parse", "HEAD").strip()).isEqualTo(checkpoint.baseCommit());
        cortex.undo(SESSION, false);
        assertThat(repo.nativeSnapshotTree()).as("after undoing " + target).isEqualTo(onDisk);
        assertThat(repo.git("rev-parse", "HEAD").strip()).isEqualTo(headBefore);
      }

      // and: the session goes on where 0.1 left it (waiting in REFACTOR)
      assertThat(cortex.status(SESSION).activePhases()).containsExactly("REFACTOR");
      repo.write("calc.c", "int add(int a, int b) { return a + b; }\n");
      cortex.completePhase(SESSION, "REFACTOR", Map.of("refactored", true), Map.of("anotherCycle", false));
      List<Checkpoint> now = cortex.checkpoints(SESSION);
      Checkpoint refactor = now.stream().filter(c -> c.checkpointId().equals("refactor-1")).findFirst().orElseThrow();
      assertThat(refactor.sequence()).isGreaterThan(old.stream().mapToLong(Checkpoint::sequence).max().orElseThrow());
      assertThat(now.subList(0, OLD_IDS.size())).isEqualTo(old.subList(0, OLD_IDS.size()));

      // and: export / import carry the old checkpoints into a new catalogue
      Path export = cortex.export(SESSION, temp.resolve("export.json"));
      try (Cortex elsewhere = TestEngines.cortex()) {
        assertThat(elsewhere.importCheckpoints(export, fixture.repo())).isEqualTo(now.size());
        assertThat(elsewhere.checkpoints(SESSION)).extracting(Checkpoint::checkpointId)
            .containsExactlyElementsOf(now.stream().map(Checkpoint::checkpointId).toList());
      }

      // and: rebuild lists every old checkpoint again from its ref, unchanged
      var report = cortex.rebuild(fixture.repo(), SESSION);
      assertThat(report.problems()).isEmpty();
      assertThat(report.renumbered()).isEmpty();
      assertThat(cortex.checkpoints(SESSION)).containsAll(old);
    }

    // and: the Cortex tables were baselined at 0 and migrated, the old rows kept
    assertThat(appliedVersions(fixture)).startsWith("0", "1");
  }

  private static String tree(TempRepo repo, Checkpoint checkpoint) {
    return repo.git("rev-parse", checkpoint.snapshotCommit() + "^{tree}").strip();
  }

  private static List<String> appliedVersions(Release01Fixture fixture) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(fixture.h2Url(), "sa", "");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT \"version\" FROM CORTEX_SCHEMA_HISTORY WHERE \"success\""
             + " AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
