package io.cortex.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.base.Json;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export / import in the seed's format, and rebuilding a lost or altered catalogue from the refs. */
class CatalogueRecoveryTest {

  @TempDir
  Path temp;

  private Cortex cortex;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    cortex = TestEngines.cortex();
    repo = TempRepo.init(temp).write("README.md", "# x\n").commitAll("init");
    cortex.startSession(Workflow.PLANNING, "feature-auth-001", repo.dir());
    repo.write("req.md", "requirements\n");
    cortex.completePhase("feature-auth-001", "DoR", Map.of("requirements_validated", true, "acceptance_criteria_count", 5));
    cortex.createCheckpoint("feature-auth-001", "before-risky-change", Map.of("note", "manual"));
  }

  @AfterEach
  void tearDown() {
    cortex.engine().close();
  }

  @Test
  void exportWritesTheSeedFormatIntoTheRepositoryByDefault() throws Exception {
    // when
    Path file = cortex.export("feature-auth-001", null);

    // then
    assertThat(file).isEqualTo(repo.dir().resolve(".cortex/phase-checkpoints-feature-auth-001.json"));
    Map<String, Object> json = Json.readObject(Files.readString(file), "export");
    assertThat(json).containsKeys("session_id", "created_at", "checkpoints").containsEntry("session_id", "feature-auth-001");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> checkpoints = (List<Map<String, Object>>) json.get("checkpoints");
    assertThat(checkpoints).extracting(c -> c.get("checkpoint_id")).containsExactly("session-start", "dor-1", "before-risky-change");
    assertThat(checkpoints.get(1)).containsEntry("phase", "DoR").containsKeys("commit_sha", "created_at", "metrics");
  }

  @Test
  void exportThenImportIntoAnEmptyCatalogueRestoresEveryCheckpoint() {
    // given
    Path file = cortex.export("feature-auth-001", temp.resolve("export.json"));
    List<Checkpoint> original = cortex.checkpoints("feature-auth-001");

    try (Cortex other = TestEngines.cortex()) {
      // when
      int imported = other.importCheckpoints(file, repo.dir());
      int again = other.importCheckpoints(file, repo.dir());

      // then
      assertThat(imported).isEqualTo(3);
      assertThat(again).isZero();
      List<Checkpoint> restored = other.checkpoints("feature-auth-001");
      assertThat(restored).extracting(Checkpoint::checkpointId, Checkpoint::type, Checkpoint::phase,
              Checkpoint::createdAt, Checkpoint::metrics, Checkpoint::baseCommit)
          .containsExactlyElementsOf(original.stream().map(c -> org.assertj.core.groups.Tuple.tuple(
              c.checkpointId(), c.type(), c.phase(), c.createdAt(), c.metrics(), c.baseCommit())).toList());
      for (int i = 0; i < restored.size(); i++) {
        String restoredTree = repo.git("rev-parse", restored.get(i).snapshotCommit() + "^{tree}");
        assertThat(restoredTree).isEqualTo(repo.git("rev-parse", original.get(i).snapshotCommit() + "^{tree}"));
      }
      assertThat(restored).allMatch(IntegrityHash::matches);
      other.engine().close();
    }
  }

  @Test
  void importOfASeedFileNamingPlainCommitsWrapsThemAsCheckpoints() throws Exception {
    // given: a file as the seed's Python tools write it (no type, no base_sha)
    String head = repo.git("rev-parse", "HEAD").trim();
    Path file = temp.resolve("seed.json");
    Files.writeString(file, """
        {"session_id": "plan-001", "created_at": "2025-11-28T10:30:00Z",
         "checkpoints": [{"phase": "DoR", "checkpoint_id": "dor-checkpoint", "commit_sha": "%s",
                          "created_at": "2025-11-28T10:30:00Z", "metrics": {"requirements_validated": true}}]}
        """.formatted(head.substring(0, 7)));

    // when
    int imported = cortex.importCheckpoints(file, repo.dir());

    // then
    assertThat(imported).isEqualTo(1);
    Checkpoint c = cortex.checkpoint("plan-001", "dor-checkpoint");
    assertThat(c.type()).isEqualTo(CheckpointType.PHASE_END);
    assertThat(c.baseCommit()).isEqualTo(head);
    assertThat(repo.git("rev-parse", c.snapshotCommit() + "^{tree}")).isEqualTo(repo.git("rev-parse", head + "^{tree}"));
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/plan-001/dor-checkpoint").trim()).isEqualTo(c.snapshotCommit());
  }

  @Test
  void importIsAllOrNothing() throws Exception {
    // given: one good entry, one naming a commit that does not exist
    String head = repo.git("rev-parse", "HEAD").trim();
    Path file = temp.resolve("bad.json");
    Files.writeString(file, """
        {"session_id": "plan-002", "created_at": "2025-11-28T10:30:00Z", "checkpoints": [
          {"phase": "DoR", "checkpoint_id": "ok", "commit_sha": "%s", "created_at": "2025-11-28T10:30:00Z", "metrics": {}},
          {"phase": "DoD", "checkpoint_id": "../bad", "commit_sha": "deadbeef", "created_at": "2025-11-28T10:30:00Z", "metrics": {}}]}
        """.formatted(head));
    String refsBefore = repo.git("for-each-ref");

    // when / then
    assertThatThrownBy(() -> cortex.importCheckpoints(file, repo.dir())).isInstanceOf(CortexException.class)
        .hasMessageContaining("nothing imported").hasMessageContaining("checkpoints[1]");
    assertThat(cortex.sessions()).extracting(Session::sessionId).containsExactly("feature-auth-001");
    assertThat(repo.git("for-each-ref")).isEqualTo(refsBefore);
  }

  @Test
  void rebuildRestoresALostCatalogueFromTheRefs() throws Exception {
    // given
    List<Checkpoint> original = cortex.checkpoints("feature-auth-001");
    executeSql("DELETE FROM CORTEX_CHECKPOINT", "DELETE FROM CORTEX_SESSION");

    // when
    CatalogueRebuild.Report report = cortex.rebuild(repo.dir(), null);

    // then
    assertThat(report.sessions()).containsExactly("feature-auth-001");
    assertThat(report.checkpoints()).isEqualTo(3);
    assertThat(report.problems()).isEmpty();
    assertThat(cortex.checkpoints("feature-auth-001")).containsExactlyElementsOf(original);
    assertThat(cortex.session("feature-auth-001").repository()).isEqualTo(repo.dir().toAbsolutePath().normalize());
  }

  @Test
  void rebuildRepairsAnAlteredRowAndTheIntegrityHashDetectsTheAlteration() throws Exception {
    // given
    Checkpoint dor = cortex.checkpoint("feature-auth-001", "dor-1");
    executeSql("UPDATE CORTEX_CHECKPOINT SET METRICS_ = '{\"requirements_validated\":false}' WHERE CHECKPOINT_ID_ = 'dor-1'");
    assertThat(IntegrityHash.matches(cortex.checkpoint("feature-auth-001", "dor-1"))).isFalse();

    // when
    cortex.rebuild(repo.dir(), "feature-auth-001");

    // then
    assertThat(cortex.checkpoint("feature-auth-001", "dor-1")).isEqualTo(dor);
    assertThat(IntegrityHash.matches(dor)).isTrue();
  }

  private void executeSql(String... statements) throws Exception {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration();
    try (Connection connection = configuration.getDataSource().getConnection();
         Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
