package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.cli.CortexCli;
import io.cortex.testing.TempRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngines;
import org.junit.jupiter.api.Test;

/** The server as a user drives it with curl, and the CLI on the same data directory while it runs. */
class EngineRestAndCliTest extends ServerTestSupport {

  @Test
  void aPlanningSessionStartedAndAdvancedThroughTheEngineRestApiTakesItsCheckpoints() {
    // given
    TempRepo repo = newRepo();
    String session = newSessionId("curl");

    // when: POST /engine-rest/process-definition/key/cortex-planning/start
    Response started = post("/engine-rest/process-definition/key/cortex-planning/start", "{\"businessKey\": \""
        + session + "\", \"variables\": {\"repositoryPath\": {\"value\": " + JSON.valueToTree(repo.dir().toString())
        + ", \"type\": \"String\"}}}");

    // then
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String instance = started.json().path("id").asText();
    assertThat(started.json().path("businessKey").asText()).isEqualTo(session);
    assertThat(get("/cortex-rest/process-instances/" + instance + "/checkpoints").body()).contains("session-start");

    // when: the DoR task is completed through /engine-rest/task/{id}/complete with metrics
    Response tasks = get("/engine-rest/task?processInstanceId=" + instance);
    JsonNode task = tasks.json().get(0);
    assertThat(task.path("taskDefinitionKey").asText()).isEqualTo("Task_CompleteDor");
    repo.write("requirements.md", "- login\n");
    Response completed = post("/engine-rest/task/" + task.path("id").asText() + "/complete",
        "{\"variables\": {\"cortexMetrics\": {\"value\": \"{\\\"requirements_validated\\\": true}\", \"type\": \"String\"}}}");

    // then: the job executor verifies DoR, the phase ends with dor-1, Implementation waits
    assertThat(completed.status()).as(completed.body()).isEqualTo(204);
    awaitTask(session, "Task_CompleteImplementation");
    List<JsonNode> checkpoints = CortexRestApiTest.list(get("/cortex-rest/sessions/" + session + "/checkpoints").json());
    assertThat(checkpoints).extracting(c -> c.path("checkpointId").asText()).containsExactly("session-start", "dor-1");
    assertThat(checkpoints.get(1).path("metrics").path("requirements_validated").asBoolean()).isTrue();
  }

  @Test
  void theCliSharesTheRunningServersState() {
    // given: a session the server runs
    TempRepo repo = newRepo();
    String session = startPlanning(repo);

    try {
      // when: the CLI, on the same data directory, reads it and takes a checkpoint
      String[] status = cli("status", "--session", session);
      String[] created = cli("checkpoint", "create", "--session", session, "--id", "from-the-cli");

      // then
      assertThat(status[0]).as("exit code, stderr: %s", status[2]).isEqualTo("0");
      assertThat(status[1]).contains(session, "DoR", "session-start");
      assertThat(created[0]).as("exit code, stderr: %s", created[2]).isEqualTo("0");
    } finally {
      // In one JVM the CLI's engine (also named 'default') replaced and then unregistered the server's engine
      // in Camunda's static registry, which the webapp and the engine REST API look engines up in. A real
      // CLI runs in its own JVM; here the server's engine is put back.
      ProcessEngines.registerProcessEngine(engine);
    }

    // then: the server sees the CLI's checkpoint
    assertThat(get("/cortex-rest/sessions/" + session + "/checkpoints").body()).contains("from-the-cli");
    assertThat(get("/engine-rest/process-definition/key/cortex-planning").status()).isEqualTo(200);
  }

  /** One CLI call: exit code, stdout, stderr. */
  private static String[] cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 4];
    full[0] = "--data";
    full[1] = DATA.toString();
    full[2] = "--config";
    full[3] = CONFIG.toString();
    System.arraycopy(args, 0, full, 4, args.length);
    int exit = CortexCli.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }
}
