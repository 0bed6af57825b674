package io.cortex.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.config.AutoCheckpointConfig;
import io.cortex.config.CheckpointConfig;
import io.cortex.config.CortexConfig;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoCheckpointsTest {

  @TempDir
  Path temp;

  @Test
  void longRunningPhaseWithChangesGetsAnAutoPeriodicCheckpointUnlessNothingChangedOrTooSoon() throws Exception {
    try (Cortex cortex = TestEngines.cortex(config(true))) {
      // given
      TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");
      cortex.startSession(Workflow.TDD, "auto-1", repo.dir());
      Thread.sleep(1100);

      // when nothing changed
      assertThat(cortex.takeAutoCheckpoints()).isEmpty();

      // when something changed and the last checkpoint is older than the interval
      repo.write("a.txt", "work in progress\n");
      Checkpoint auto = cortex.takeAutoCheckpoints().get(0);

      // then
      assertThat(auto.type()).isEqualTo(CheckpointType.AUTO_PERIODIC);
      assertThat(auto.phase()).isEqualTo("RED");
      assertThat(auto.checkpointId()).isEqualTo("red-auto-1");
      assertThat(repo.git("show", auto.snapshotCommit() + ":a.txt")).isEqualTo("work in progress\n");

      // when changed again but the last checkpoint is younger than the interval
      repo.write("a.txt", "more\n");
      assertThat(cortex.takeAutoCheckpoints()).isEmpty();

      // and the schedule is an active timer job
      assertThat(cortex.engine().getManagementService().createJobQuery().processDefinitionKey("cortex-auto-checkpoint")
          .active().count()).isEqualTo(1);
      cortex.engine().close();
    }
  }

  @Test
  void disabledAutoCheckpointsTakeNothingAndTheirTimerIsSuspended() throws Exception {
    try (Cortex cortex = TestEngines.cortex(config(false))) {
      TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");
      cortex.startSession(Workflow.TDD, "auto-2", repo.dir());
      Thread.sleep(1100);
      repo.write("a.txt", "changed\n");

      assertThat(cortex.takeAutoCheckpoints()).isEmpty();
      assertThat(cortex.engine().getRepositoryService().createProcessDefinitionQuery()
          .processDefinitionKey("cortex-auto-checkpoint").singleResult().isSuspended()).isTrue();
      cortex.engine().close();
    }
  }

  private static CortexConfig config(boolean enabled) {
    CortexConfig d = CortexConfig.defaults();
    CheckpointConfig checkpoint = new CheckpointConfig(d.checkpoint().maxCheckpoints(), d.checkpoint().retentionMs(), 0,
        d.checkpoint().maxFileSizeBytes(), new AutoCheckpointConfig(enabled, 1000));
    return new CortexConfig(checkpoint, d.recovery(), d.gates(), d.retention(), d.database(), d.server());
  }

}
