package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.engine.RollbackRequestedDelegate;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.junit.jupiter.api.Test;

/** Rollback of a running session through the workflows' "Rollback requested" event subprocess, over REST. */
class RollbackThroughBpmnTest extends ServerTestSupport {

  @Test
  void aRollbackRunsThroughTheEventSubprocessAndTheInstanceWaitsInTheRestoredPhase() {
    // given: DoR done (dor-1 holds requirements.md), Implementation under way with new and changed files
    TempRepo repo = newRepo();
    String session = startPlanning(repo);
    String instance = processInstanceId(session);
    repo.write("requirements.md", "- login\n");
    completePhase(session, "Task_CompleteDor", "Task_CompleteImplementation",
        Map.of("cortexMetrics", "{\"requirements_validated\": true}"));
    Map<String, String> atDor = DiskState.workingTree(repo.dir());
    repo.write("impl.java", "class Impl {}\n").write("README.md", "# app, half rewritten\n");

    // when
    Response response = post("/cortex-rest/sessions/" + session + "/rollback", "{\"checkpointId\": \"dor-1\", \"force\": true}");

    // then: 200 with the outcome
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("executed").asBoolean()).isTrue();
    assertThat(body.path("checkpointId").asText()).isEqualTo("dor-1");
    assertThat(body.path("preRollbackCheckpointId").asText()).isEqualTo("pre-rollback-1");
    assertThat(body.path("processInstanceId").asText()).isEqualTo(instance);
    assertThat(body.path("filesDeleted").toString()).contains("impl.java");
    assertThat(body.path("filesWritten").toString()).contains("README.md");
    assertThat(body.path("message").asText()).contains("dor-1", "Rollback requested", "DoR");

    // then: the rollback is in the instance's history, Implementation was interrupted, DoR waits again
    assertThat(finished(instance, "EventSubProcess_Rollback")).isEqualTo(1);
    assertThat(finished(instance, "Task_PerformRollback")).isEqualTo(1);
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance)
        .activityId("SubProcess_Implementation").canceled().count()).isEqualTo(1);
    assertThat(openTasks(session)).extracting(t -> t.getTaskDefinitionKey()).containsExactly("Task_CompleteDor");
    assertThat(cortex().status(session).activePhases()).containsExactly("DoR");

    // then: the repository is dor-1's working tree; what was on disk is in pre-rollback-1
    assertThat(DiskState.workingTree(repo.dir())).isEqualTo(atDor);
    Checkpoint pre = cortex().checkpoint(session, "pre-rollback-1");
    assertThat(pre.metrics()).containsEntry("rollbackTarget", "dor-1");
    List<AuditEntry> audit = cortex().audit(session, 20);
    assertThat(audit).filteredOn(e -> e.action() == AuditAction.ROLLBACK_COMPLETED).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("admin"));
    assertThat(engine.getRuntimeService().getVariables(instance))
        .containsEntry(RollbackRequestedDelegate.PRE_ROLLBACK, "pre-rollback-1")
        .doesNotContainKeys(RollbackRequestedDelegate.TARGET, RollbackRequestedDelegate.FORCE);

    // when / then: the session goes on from DoR and ends its phase with the next checkpoint
    completePhase(session, "Task_CompleteDor", "Task_CompleteImplementation", Map.of());
    assertThat(cortex().checkpoints(session)).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "dor-1", "pre-rollback-1", "dor-2");
  }

  @Test
  void aRollbackToTheSessionStartReturnsToTheFirstPhase() {
    // given: a session in Implementation, everything committed-clean except nothing
    TempRepo repo = newRepo();
    String session = startPlanning(repo);
    String instance = processInstanceId(session);
    completePhase(session, "Task_CompleteDor", "Task_CompleteImplementation", Map.of());

    // when: a command with a meaning ("latest" would be dor-1; the first checkpoint by id)
    Response response = post("/cortex-rest/sessions/" + session + "/rollback",
        "{\"command\": \"rollback to session-start\"}");

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("checkpointId").asText()).isEqualTo("session-start");
    assertThat(openTasks(session)).extracting(t -> t.getTaskDefinitionKey()).containsExactly("Task_CompleteDor");
    assertThat(finished(instance, "Task_PerformRollback")).isEqualTo(1);
  }

  @Test
  void aCheckpointWithoutPhaseReturnsToThePhaseThatRanWhenItWasTaken() {
    // given: a checkpoint taken by hand during Implementation, then Implementation done, DoD running
    TempRepo repo = newRepo();
    String session = startPlanning(repo);
    String instance = processInstanceId(session);
    completePhase(session, "Task_CompleteDor", "Task_CompleteImplementation", Map.of());
    repo.write("impl.java", "class Impl {}\n");
    cortex().createCheckpoint(session, "before-risky-change", Map.of());
    completePhase(session, "Task_CompleteImplementation", "Task_CompleteDod", Map.of());

    // when
    Response response = post("/cortex-rest/sessions/" + session + "/rollback",
        "{\"checkpointId\": \"before-risky-change\", \"force\": true}");

    // then: back in Implementation, with the file as it was then
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("message").asText()).contains("waits in phase Implementation");
    assertThat(openTasks(session)).extracting(t -> t.getTaskDefinitionKey())
        .containsExactly("Task_CompleteImplementation");
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance)
        .activityId("SubProcess_Dod").canceled().count()).isEqualTo(1);
    assertThat(repo.read("impl.java")).isEqualTo("class Impl {}\n");
  }

  @Test
  void aRefusedRollbackIs409AndLeavesInstanceAndRepositoryExactlyAsTheyWere() {
    // given: Implementation with uncommitted work
    TempRepo repo = newRepo();
    String session = startPlanning(repo);
    String instance = processInstanceId(session);
    completePhase(session, "Task_CompleteDor", "Task_CompleteImplementation", Map.of());
    repo.write("impl.java", "class Impl {}\n");
    String taskBefore = awaitTask(session, "Task_CompleteImplementation").getId();
    Map<String, String> before = DiskState.everything(repo.dir());
    List<HistoricActivityInstance> historyBefore = engine.getHistoryService().createHistoricActivityInstanceQuery()
        .processInstanceId(instance).list();

    // when: no force
    Response response = post("/cortex-rest/sessions/" + session + "/rollback", "{\"checkpointId\": \"dor-1\"}");

    // then: 409 with the seed's safety report
    assertThat(response.status()).as(response.body()).isEqualTo(409);
    assertThat(response.error()).contains("Safety check failed: Uncommitted changes detected", "impl.java");
    assertThat(response.json().path("safety").path("safe").asBoolean()).isFalse();
    assertThat(response.json().path("safety").path("warning").asText()).contains("Uncommitted changes");

    // then: nothing moved: same task, no new history, same files; the refusal is audited
    assertThat(openTasks(session)).extracting(t -> t.getId()).containsExactly(taskBefore);
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance).count())
        .isEqualTo(historyBefore.size());
    assertThat(finished(instance, "Task_PerformRollback")).isZero();
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
    assertThat(cortex().audit(session, 20)).extracting(AuditEntry::action).contains(AuditAction.SAFETY_REFUSED)
        .doesNotContain(AuditAction.ROLLBACK_INITIATED);
  }
}
