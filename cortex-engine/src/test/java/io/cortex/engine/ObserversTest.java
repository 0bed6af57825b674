package io.cortex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.Cortex;
import io.cortex.observer.CortexObserver;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.rollback.RollbackResult;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserversTest {

  @TempDir
  Path temp;

  @Test
  void observersHearOfCommittedCheckpointsAndRollbacksOnly() {
    try (Cortex cortex = TestEngines.cortex()) {
      // given
      List<String> events = new CopyOnWriteArrayList<>();
      CortexObserver observer = new CortexObserver() {
        @Override
        public void checkpointCreated(Checkpoint checkpoint) {
          events.add("checkpoint " + checkpoint.checkpointId());
        }

        @Override
        public void rollbackCompleted(RollbackResult result) {
          events.add("rollback " + result.target().checkpointId() + " " + (result.undo() ? "undo" : "rollback"));
        }
      };
      CortexObserver failing = new CortexObserver() {
        @Override
        public void checkpointCreated(Checkpoint checkpoint) {
          throw new IllegalStateException("observer bug");
        }
      };
      cortex.addObserver(failing);
      cortex.addObserver(observer);
      TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");

      // when
      cortex.startSession(Workflow.PLANNING, "obs-1", repo.dir());
      cortex.completePhase("obs-1", "DoR", Map.of());
      assertThatThrownBy(() -> cortex.createCheckpoint("obs-1", "dor-1", Map.of()));
      repo.write("a.txt", "changed\n");
      cortex.rollback("obs-1", "dor-1", true);
      cortex.undo("obs-1", false);
      cortex.removeObserver(observer);
      cortex.createCheckpoint("obs-1", "after-removal", Map.of());

      // then
      assertThat(events).containsExactly("checkpoint session-start", "checkpoint dor-1", "checkpoint pre-rollback-1",
          "rollback dor-1 rollback", "checkpoint pre-rollback-2", "rollback pre-rollback-1 undo");
      cortex.engine().close();
    }
  }
}
