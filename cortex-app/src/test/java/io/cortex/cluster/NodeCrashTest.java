package io.cortex.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.intent.InterruptedOperations;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL with two engine nodes: a rollback node A left half-done (its intent still pending, half the
 * files written, the index locked) is finished by the next operation on node B, before that operation runs.
 */
@Tag("slow")
class NodeCrashTest {

  private static final String SESSION = "node-crash";

  @TempDir
  Path root;

  @Test
  void aRollbackNodeALeftHalfDoneIsFinishedByTheNextOperationOnNodeB() throws Exception {
    TestPostgres.Database database = TestPostgres.freshDatabase("cortex_node_crash");
    Path configFile = root.resolve("cortex.yaml");
    Files.writeString(configFile, database.yaml());
    CortexConfig config = ConfigLoader.load(configFile);
    TempRepo repo = TempRepo.init(root);
    for (int i = 0; i < 10; i++) {
      repo.write("src/F" + i + ".java", "class F" + i + " { int v = 0; }\n");
    }
    repo.commitAll("init");

    ProcessEngine a = node(config, "a");
    ProcessEngine b = null;
    try {
      Cortex onA = Cortex.on(a);
      onA.startSession(Workflow.TDD, SESSION, repo.dir());
      onA.createCheckpoint(SESSION, "v1", Map.of());
      Map<String, String> target = DiskState.workingTree(repo.dir());
      for (int i = 0; i < 10; i++) {
        repo.write("src/F" + i + ".java", "class F" + i + " { int v = 2; }\n");
      }
      onA.rollback(SESSION, "v1", true);
      b = node(config, "b");
      Cortex onB = Cortex.on(b);

      // node A died half-way through that rollback: intent pending, half the files as before, index locked
      try (Connection c = database.connect(); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE CORTEX_INTENT SET STATE_ = 'PENDING', FINISHED_AT_ = NULL");
      }
      for (int i = 0; i < 5; i++) {
        repo.write("src/F" + i + ".java", "class F" + i + " { int v = 2; }\n");
      }
      Path indexLock = repo.dir().resolve(".git/index.lock");
      Files.writeString(indexLock, "");
      Files.setLastModifiedTime(indexLock, FileTime.from(Instant.now().minusSeconds(1)));

      Checkpoint next = onB.createCheckpoint(SESSION, "after-crash", Map.of());

      assertThat(DiskState.workingTree(repo.dir())).isEqualTo(target);
      assertThat(indexLock).doesNotExist();
      assertThat(repo.git("rev-parse", next.snapshotCommit() + "^{tree}").trim())
          .as("the checkpoint saw the finished rollback").isEqualTo(repo.nativeSnapshotTree());
      try (Connection c = database.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT STATE_ FROM CORTEX_INTENT")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("COMPLETED");
      }
      List<AuditEntry> audit = onB.audit(SESSION, 10);
      assertThat(audit).anySatisfy(e -> {
        assertThat(e.action()).isEqualTo(AuditAction.OPERATION_RESUMED);
        assertThat(e.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(e.actor()).isEqualTo(InterruptedOperations.ACTOR);
      });
    } finally {
      a.close();
      if (b != null) {
        b.close();
      }
      database.drop();
    }
  }

  private ProcessEngine node(CortexConfig config, String name) {
    StandaloneProcessEngineConfiguration configuration = EmbeddedEngine.configuration(config, root.resolve("data-" + name));
    configuration.setProcessEngineName("crash-node-" + name);
    ProcessEngine engine = configuration.buildProcessEngine();
    EmbeddedEngine.deployWorkflows(engine);
    return engine;
  }
}
