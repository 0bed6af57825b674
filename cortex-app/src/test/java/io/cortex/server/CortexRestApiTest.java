package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every Cortex REST resource, with its answers to good and bad requests. */
class CortexRestApiTest extends ServerTestSupport {

  private TempRepo repo;
  private String session;
  private String instance;

  /** A planning session in Implementation: session-start, dor-1 (with metrics). */
  @BeforeEach
  void session() {
    repo = newRepo();
    session = startPlanning(repo);
    instance = processInstanceId(session);
    repo.write("requirements.md", "- login\n");
    completePhase(session, "Task_CompleteDor", "Task_CompleteImplementation",
        Map.of("cortexMetrics", "{\"acceptance_criteria_count\": 5}"));
  }

  @Test
  void checkpointsOfASessionAndOfItsProcessInstanceOldestFirst() {
    // when
    Response bySession = get("/cortex-rest/sessions/" + session + "/checkpoints");
    Response byInstance = get("/cortex-rest/process-instances/" + instance + "/checkpoints");

    // then
    assertThat(bySession.status()).isEqualTo(200);
    assertThat(bySession.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(byInstance.body()).isEqualTo(bySession.body());
    List<JsonNode> checkpoints = list(bySession.json());
    assertThat(checkpoints).extracting(c -> c.path("checkpointId").asText()).containsExactly("session-start", "dor-1");
    JsonNode dor = checkpoints.get(1);
    assertThat(fieldNames(dor)).containsExactly("sessionId", "checkpointId", "phase", "type", "commitSha",
        "shortSha", "baseSha", "createdAt", "metrics", "skipped");
    assertThat(dor.path("sessionId").asText()).isEqualTo(session);
    assertThat(dor.path("phase").asText()).isEqualTo("DoR");
    assertThat(dor.path("type").asText()).isEqualTo("PHASE_END");
    assertThat(dor.path("commitSha").asText()).hasSize(40).startsWith(dor.path("shortSha").asText());
    assertThat(dor.path("shortSha").asText()).hasSize(7);
    assertThat(dor.path("baseSha").asText()).isEqualTo(repo.git("rev-parse", "HEAD").strip());
    assertThat(dor.path("metrics").path("acceptance_criteria_count").asInt()).isEqualTo(5);
    assertThat(checkpoints.get(0).path("phase").isNull()).isTrue();
  }

  @Test
  void aCheckpointTakenThroughTheApiIsTheCliCheckpointWithItsRefAndMetrics() {
    // given: work in the repository
    repo.write("src/Auth.java", "class Auth {}\n");

    // when
    Response created = post("/cortex-rest/sessions/" + session + "/checkpoints",
        "{\"checkpointId\": \"before-refactor\", \"metrics\": {\"tests_passing\": 25, \"green\": true}}");
    Response unnamed = post("/cortex-rest/sessions/" + session + "/checkpoints", null);
    Response again = post("/cortex-rest/sessions/" + session + "/checkpoints", "{\"checkpointId\": \"before-refactor\"}");
    Response badField = post("/cortex-rest/sessions/" + session + "/checkpoints", "{\"id\": \"x\"}");
    Response unknownSession = post("/cortex-rest/sessions/no-such-session/checkpoints", null);

    // then
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("checkpoint_id").asText()).isEqualTo("before-refactor");
    assertThat(created.json().path("type").asText()).isEqualTo("USER_REQUESTED");
    assertThat(created.json().path("metrics").path("tests_passing").asInt()).isEqualTo(25);
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/" + session + "/before-refactor").strip())
        .isEqualTo(created.json().path("commit_sha").asText());
    assertThat(repo.git("show", created.json().path("commit_sha").asText() + ":src/Auth.java")).isEqualTo("class Auth {}\n");
    assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(201);
    assertThat(unnamed.json().path("checkpoint_id").asText()).startsWith("user-");
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(badField.status()).isEqualTo(400);
    assertThat(badField.body()).contains("Unknown field 'id'");
    assertThat(unknownSession.status()).isEqualTo(404);
  }

  @Test
  void safetyIsTheSeedsReport() {
    // when: clean working tree, then an untracked file
    Response clean = get("/cortex-rest/sessions/" + session + "/checkpoints/session-start/safety");
    repo.write("impl.java", "class Impl {}\n");
    Response dirty = get("/cortex-rest/sessions/" + session + "/checkpoints/dor-1/safety");

    // then
    assertThat(clean.status()).isEqualTo(200);
    assertThat(fieldNames(clean.json())).containsExactly("safe", "warning", "details");
    // requirements.md is untracked since DoR, but dor-1 holds the working tree exactly: nothing would be lost
    assertThat(clean.json().path("safe").asBoolean()).isTrue();
    assertThat(dirty.json().path("safe").asBoolean()).isFalse();
    assertThat(dirty.json().path("warning").asText()).isEqualTo("Safety check failed: Uncommitted changes detected");
    assertThat(dirty.json().path("details").asText()).contains("impl.java", "Commit or stash changes before rollback.");
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "work");
    Response committed = get("/cortex-rest/sessions/" + session + "/checkpoints/dor-1/safety");
    assertThat(committed.json().path("safe").asBoolean()).isFalse();
    assertThat(committed.json().path("warning").asText()).contains("HEAD moved since checkpoint dor-1");
  }

  @Test
  void previewListsWhatWouldChangeAndChangesNothing() {
    // given
    repo.write("impl.java", "class Impl {}\n").write("README.md", "# app v2\n");
    Map<String, String> before = DiskState.everything(repo.dir());

    // when
    Response preview = get("/cortex-rest/sessions/" + session + "/checkpoints/dor-1/preview");

    // then
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    JsonNode body = preview.json();
    assertThat(fieldNames(body)).containsExactly("sessionId", "checkpointId", "modified", "added", "deleted", "untrackedRemoved",
        "permissionsChanged", "indexChanges", "leftAlone", "keptIgnored", "conflicts", "stat", "diff", "safety");
    assertThat(body.path("checkpointId").asText()).isEqualTo("dor-1");
    assertThat(texts(body.path("modified"))).containsExactly("README.md");
    assertThat(texts(body.path("untrackedRemoved"))).containsExactly("impl.java");
    assertThat(body.path("diff").asText()).contains("README.md", "-# app v2");
    assertThat(body.path("stat").asText()).isNotBlank();
    assertThat(body.path("safety").path("safe").asBoolean()).isFalse();
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
  }

  @Test
  void rollbackRejectsBadBodiesWith400NamingTheField() {
    String rollback = "/cortex-rest/sessions/" + session + "/rollback";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{}", "'checkpointId'");
    cases.put("{\"checkpointId\": \"dor-1\", \"command\": \"rollback to dor-1\"}", "'checkpointId' or the field 'command'");
    cases.put("{\"checkpointId\": 12}", "Field 'checkpointId' must be a string");
    cases.put("{\"checkpointId\": \"dor-1\", \"force\": \"yes\"}", "Field 'force' must be true or false");
    cases.put("{\"command\": \"rollback dor-1\", \"dryRun\": 1}", "Field 'dryRun' must be true or false");
    cases.put("{\"checkpointId\": \"../x\"}", "Field 'checkpointId': Invalid checkpoint id '../x'");
    cases.put("{\"checkpointId\": \"dor-1\", \"forse\": true}", "Unknown field 'forse'");
    cases.put("{\"command\": \"please rollback dor-1\"}", "Field 'command': Unexpected word 'please'");
    cases.put("{\"command\": \"rollback session other-1 to dor-1\"}", "names session other-1");
    cases.put("[\"dor-1\"]", "must be a JSON object");
    cases.put("{\"checkpointId\": ", "not valid JSON");
    cases.put(null, "Missing request body");
    Map<String, String> before = DiskState.everything(repo.dir());
    cases.forEach((body, expected) -> {
      Response response = post(rollback, body);
      assertThat(response.status()).as("%s -> %s", body, response.body()).isEqualTo(400);
      assertThat(response.error()).as("error for %s", body).contains(expected);
    });
    Response form = send(java.net.http.HttpRequest.newBuilder(uri(rollback))
        .header("Authorization", basic("admin", adminPassword()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("checkpointId=dor-1&force=true")));
    assertThat(form.status()).isEqualTo(415);
    assertThat(form.error()).contains("Content-Type: application/json");
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
    assertThat(finished(instance, "Task_PerformRollback")).isZero();
  }

  @Test
  void unknownSessionsAndCheckpointsAre404AndInvalidIds400() {
    // when / then
    Response unknownSession = get("/cortex-rest/sessions/no-such-session/checkpoints");
    assertThat(unknownSession.status()).isEqualTo(404);
    assertThat(unknownSession.error()).startsWith("Unknown session 'no-such-session'");
    Response unknownCheckpoint = post("/cortex-rest/sessions/" + session + "/rollback", "{\"checkpointId\": \"dor-2\"}");
    assertThat(unknownCheckpoint.status()).isEqualTo(404);
    assertThat(unknownCheckpoint.error()).contains("Invalid checkpoint: dor-2 not found", "Did you mean 'dor-1'?");
    assertThat(get("/cortex-rest/sessions/" + session + "/checkpoints/nope/preview").status()).isEqualTo(404);
    assertThat(post("/cortex-rest/sessions/no-such-session/rollback", "{\"checkpointId\": \"dor-1\"}").status())
        .isEqualTo(404);
    assertThat(post("/cortex-rest/sessions/no-such-session/undo", null).status()).isEqualTo(404);
    Response noMatch = post("/cortex-rest/sessions/" + session + "/rollback", "{\"command\": \"rollback to last green\"}");
    assertThat(noMatch.status()).as(noMatch.body()).isEqualTo(404);
    assertThat(get("/cortex-rest/process-instances/no-such-instance/checkpoints").status()).isEqualTo(404);
    Response invalid = get("/cortex-rest/sessions/bad..id/checkpoints");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.error()).startsWith("Invalid session id 'bad..id'");
    Response noResource = get("/cortex-rest/nothing-here");
    assertThat(noResource.status()).isEqualTo(404);
    assertThat(noResource.error()).contains("No such resource");
    Response wrongMethod = get("/cortex-rest/sessions/" + session + "/rollback");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.error()).contains("POST");
  }

  @Test
  void aDryRunCommandPreviewsAndChangesNothing() {
    // given
    repo.write("impl.java", "class Impl {}\n");
    Map<String, String> before = DiskState.everything(repo.dir());

    // when
    Response response = post("/cortex-rest/sessions/" + session + "/rollback",
        "{\"command\": \"rollback to last DoR\", \"dryRun\": true}");

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("executed").asBoolean()).isFalse();
    assertThat(body.path("checkpointId").asText()).isEqualTo("dor-1");
    assertThat(body.path("preRollbackCheckpointId").isNull()).isTrue();
    assertThat(texts(body.path("filesDeleted"))).containsExactly("impl.java");
    assertThat(body.path("processInstanceId").asText()).isEqualTo(instance);
    assertThat(body.path("preview").path("untrackedRemoved").toString()).contains("impl.java");
    assertThat(body.path("message").asText()).contains("Dry run", "Nothing was changed");
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
    assertThat(finished(instance, "Task_PerformRollback")).isZero();
  }

  @Test
  void undoRestoresTheStateBeforeTheRollbackAndIsRefusedWhenThereIsNothingToUndo() {
    // given
    Response nothing = post("/cortex-rest/sessions/" + session + "/undo", "");
    assertThat(nothing.status()).isEqualTo(409);
    assertThat(nothing.error()).contains("Nothing to undo");
    repo.write("impl.java", "class Impl {}\n");
    Map<String, String> beforeRollback = DiskState.workingTree(repo.dir());
    assertThat(post("/cortex-rest/sessions/" + session + "/rollback", "{\"checkpointId\": \"dor-1\", \"force\": true}")
        .status()).isEqualTo(200);
    assertThat(repo.dir().resolve("impl.java")).doesNotExist();

    // when
    Response undo = post("/cortex-rest/sessions/" + session + "/undo", "{\"force\": false}");

    // then
    assertThat(undo.status()).as(undo.body()).isEqualTo(200);
    assertThat(undo.json().path("executed").asBoolean()).isTrue();
    assertThat(undo.json().path("checkpointId").asText()).isEqualTo("pre-rollback-1");
    assertThat(undo.json().path("preRollbackCheckpointId").asText()).isEqualTo("pre-rollback-2");
    assertThat(undo.json().path("processInstanceId").asText()).isEqualTo(instance);
    assertThat(undo.json().path("message").asText()).contains("Undo completed", "stays where it is");
    assertThat(DiskState.workingTree(repo.dir())).isEqualTo(beforeRollback);
    assertThat(post("/cortex-rest/sessions/" + session + "/undo", "{\"force\": \"no\"}").status()).isEqualTo(400);
  }

  @Test
  void anEndedSessionIsRolledBackDirectly() {
    // given: the whole session done
    completePhase(session, "Task_CompleteImplementation", "Task_CompleteDod", Map.of());
    completePhase(session, "Task_CompleteDod", null, Map.of());
    await(() -> engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instance).count() == 0,
        "the end of session " + session);
    repo.write("later.txt", "after the session\n");

    // when
    Response response = post("/cortex-rest/sessions/" + session + "/rollback", "{\"checkpointId\": \"dor-1\", \"force\": true}");

    // then
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("executed").asBoolean()).isTrue();
    assertThat(response.json().path("processInstanceId").asText()).isEqualTo(instance);
    assertThat(repo.dir().resolve("later.txt")).doesNotExist();
    assertThat(finished(instance, "Task_PerformRollback")).isZero();
  }

  @Test
  void auditListsTheSessionsEntriesNewestLastWithALimit() {
    // given
    repo.write("impl.java", "class Impl {}\n");
    post("/cortex-rest/sessions/" + session + "/rollback", "{\"checkpointId\": \"dor-1\"}");

    // when
    Response all = get("/cortex-rest/audit?sessionId=" + session);
    Response two = get("/cortex-rest/audit?sessionId=" + session + "&limit=2");
    Response everyone = get("/cortex-rest/audit?limit=5");

    // then
    assertThat(all.status()).isEqualTo(200);
    List<JsonNode> entries = list(all.json());
    assertThat(entries).extracting(e -> e.path("action").asText())
        .containsExactly("CHECKPOINT_CREATED", "CHECKPOINT_CREATED", "SAFETY_REFUSED");
    JsonNode refused = entries.get(2);
    assertThat(fieldNames(refused)).containsExactly("entryId", "action", "timestamp", "sessionId", "actor", "details",
        "outcome");
    assertThat(refused.path("actor").asText()).isEqualTo("admin");
    assertThat(refused.path("outcome").asText()).isEqualTo("FAILURE");
    assertThat(refused.path("details").path("checkpointId").asText()).isEqualTo("dor-1");
    assertThat(list(two.json())).extracting(e -> e.path("entryId").asText())
        .containsExactly(entries.get(1).path("entryId").asText(), entries.get(2).path("entryId").asText());
    assertThat(list(everyone.json())).hasSize(5);
    assertThat(get("/cortex-rest/audit?limit=abc").status()).isEqualTo(400);
    assertThat(get("/cortex-rest/audit?limit=0").error()).contains("Parameter 'limit'");
    assertThat(get("/cortex-rest/audit?sessionId=bad..id").status()).isEqualTo(400);
  }

  static List<JsonNode> list(JsonNode array) {
    assertThat(array.isArray()).as("a JSON array: %s", array).isTrue();
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  static List<String> texts(JsonNode array) {
    return list(array).stream().map(JsonNode::asText).toList();
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
