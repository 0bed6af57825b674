package io.cortex.cli;

import static io.cortex.cli.CliRun.cortex;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.cli.CliRun.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.testing.TempRepo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./cortex} command line, called in-process the way the launcher calls it: every call
 * boots the embedded engine on the H2 file database in {@code --data}, so consecutive calls share
 * state only through that database and the repository's refs.
 */
class CortexCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SESSION = "feature-auth-001";

  @TempDir
  Path temp;

  private Path data;
  private TempRepo repo;

  @BeforeEach
  void setUp() throws IOException {
    data = Files.createDirectories(temp.resolve("data"));
    repo = TempRepo.init(temp)
        .write("README.md", "# app\n")
        .write("src/App.java", "class App {}\n")
        .commitAll("initial");
    repo.write("src/App.java", "class App { int changed; }\n")
        .write("notes/todo.txt", "untracked\n");
  }

  // --- a whole session across separate calls ---

  @Test
  void planningSessionRunsAcrossSeparateCallsSharingStateThroughTheDataDirectory() throws IOException {
    // when
    Result start = cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", SESSION);
    Result dor = cortex(data, "phase", "complete", "--session", SESSION, "--phase", "DoR",
        "--metric", "requirements_validated=true", "--metric", "acceptance_criteria_count=5");
    Result status = cortex(data, "status", "--session", SESSION);
    Result list = cortex(data, "checkpoints", "--session", SESSION, "--json");

    // then
    assertSucceeded(start);
    assertThat(start.out()).contains("session-start", SESSION, "Waiting in phase: DoR");
    assertSucceeded(dor);
    assertThat(dor.out()).contains("dor-1", "PHASE_END", "Waiting in phase: Implementation");
    assertSucceeded(status);
    assertThat(status.out()).contains(SESSION, "Implementation", "Checkpoints 2", "last: dor-1");
    assertSucceeded(list);

    JsonNode checkpoints = JSON.readTree(list.out());
    assertThat(checkpoints.isArray()).isTrue();
    assertThat(ids(checkpoints)).containsExactly("session-start", "dor-1");
    for (JsonNode c : checkpoints) {
      assertThat(fieldNames(c)).containsExactlyInAnyOrder("sessionId", "checkpointId", "phase", "type",
          "commitSha", "shortSha", "baseSha", "createdAt", "metrics", "skipped");
      assertThat(c.get("sessionId").asText()).isEqualTo(SESSION);
    }
    JsonNode dor1 = checkpoints.get(1);
    assertThat(dor1.get("phase").asText()).isEqualTo("DoR");
    assertThat(dor1.get("type").asText()).isEqualTo("PHASE_END");
    assertThat(dor1.get("metrics").get("requirements_validated").isBoolean()).isTrue();
    assertThat(dor1.get("metrics").get("requirements_validated").booleanValue()).isTrue();
    assertThat(dor1.get("metrics").get("acceptance_criteria_count").isNumber()).isTrue();
    assertThat(dor1.get("metrics").get("acceptance_criteria_count").intValue()).isEqualTo(5);
    assertThat(dor1.get("commitSha").asText())
        .isEqualTo(repo.git("rev-parse", "refs/cortex/checkpoints/" + SESSION + "/dor-1").trim());
    assertThat(dor1.get("baseSha").asText()).isEqualTo(repo.git("rev-parse", "HEAD").trim());
  }

  @Test
  void anotherCycleVariableLoopsATddSessionBackToRed() throws IOException {
    // given
    assertSucceeded(cortex(data, "start", "tdd", "--repo", repo.dir().toString(), "--session", "tdd-1"));
    assertSucceeded(cortex(data, "phase", "complete", "--session", "tdd-1", "--phase", "RED"));
    assertSucceeded(cortex(data, "phase", "complete", "--session", "tdd-1", "--phase", "green"));

    // when
    Result refactor = cortex(data, "phase", "complete", "--session", "tdd-1", "--phase", "REFACTOR",
        "--var", "anotherCycle=true");
    Result status = cortex(data, "status", "--session", "tdd-1", "--json");

    // then
    assertSucceeded(refactor);
    assertThat(refactor.out()).contains("refactor-1", "Waiting in phase: RED");
    assertSucceeded(status);
    JsonNode json = JSON.readTree(status.out());
    assertThat(json.get("running").booleanValue()).isTrue();
    assertThat(texts(json.get("activePhases"))).containsExactly("RED");
    assertThat(ids(json.get("checkpoints"))).containsExactly("session-start", "red-1", "green-1", "refactor-1");
  }

  // --- user checkpoints ---

  @Test
  void checkpointCreateTakesUserRequestedCheckpointsAndRefusesADuplicateId() throws IOException {
    // given
    assertSucceeded(cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", SESSION));

    // when
    Result named = cortex(data, "checkpoint", "create", "--session", SESSION, "--id", "before-refactor", "--json");
    String refAfterFirst = repo.git("rev-parse", "refs/cortex/checkpoints/" + SESSION + "/before-refactor").trim();
    Result duplicate = cortex(data, "checkpoint", "create", "--session", SESSION, "--id", "before-refactor");
    Result unnamed = cortex(data, "checkpoint", "create", "--session", SESSION);

    // then
    assertSucceeded(named);
    JsonNode checkpoint = JSON.readTree(named.out());
    assertThat(checkpoint.get("checkpointId").asText()).isEqualTo("before-refactor");
    assertThat(checkpoint.get("type").asText()).isEqualTo("USER_REQUESTED");
    assertThat(checkpoint.get("phase").isNull()).isTrue();
    assertThat(checkpoint.get("commitSha").asText()).isEqualTo(refAfterFirst);

    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/" + SESSION + "/before-refactor").trim())
        .isEqualTo(refAfterFirst);

    assertSucceeded(unnamed);
    assertThat(unnamed.out()).contains("user-1", "USER_REQUESTED");
    assertThat(checkpointRefs(repo.dir())).containsExactlyInAnyOrder(
        "refs/cortex/checkpoints/" + SESSION + "/session-start",
        "refs/cortex/checkpoints/" + SESSION + "/before-refactor",
        "refs/cortex/checkpoints/" + SESSION + "/user-1");

    assertRejected(duplicate, 1, "already exists");
  }

  // --- bad input ---

  @Test
  void invalidSessionIdsUnknownWorkflowsAndNonRepositoriesAreRefusedWithoutChangingAnything() throws IOException {
    // given
    assertSucceeded(cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", SESSION));
    String refsBefore = allRefs(repo.dir());
    String checkpointsBefore = checkpointsJson(data, SESSION);
    Path notARepo = Files.createDirectories(temp.resolve("plain-folder"));
    String r = repo.dir().toString();

    // when / then
    for (String badId : List.of("../x", "a..b", "x.lock", "has space", "")) {
      assertRejected(cortex(data, "start", "planning", "--repo", r, "--session", badId), 1, "Invalid session id");
    }
    assertRejected(cortex(data, "start", "waterfall", "--repo", r, "--session", "other-1"), 1,
        "Unknown workflow 'waterfall'");
    assertRejected(cortex(data, "start", "planning", "--repo", notARepo.toString(), "--session", "other-2"), 1,
        "Not a git repository");

    assertThat(allRefs(repo.dir())).isEqualTo(refsBefore);
    assertThat(checkpointsJson(data, SESSION)).isEqualTo(checkpointsBefore);
    assertThat(notARepo.resolve(".git")).doesNotExist();
  }

  @Test
  void unknownSessionsInactivePhasesBadMetricsAndBadCheckpointIdsAreRefusedWithoutChangingAnything() throws IOException {
    // given
    assertSucceeded(cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", SESSION));
    String refsBefore = allRefs(repo.dir());
    String checkpointsBefore = checkpointsJson(data, SESSION);

    // when
    Result unknownStatus = cortex(data, "status", "--session", "no-such-session");
    Result unknownCheckpoints = cortex(data, "checkpoints", "--session", "no-such-session", "--json");
    Result inactivePhase = cortex(data, "phase", "complete", "--session", SESSION, "--phase", "DoD");
    Result metricWithoutValue = cortex(data, "phase", "complete", "--session", SESSION, "--phase", "DoR",
        "--metric", "novalue");
    Result badCheckpointId = cortex(data, "checkpoint", "create", "--session", SESSION, "--id", "bad..id");
    String checkpointsAfter = checkpointsJson(data, SESSION);

    // then
    assertThat(allRefs(repo.dir())).isEqualTo(refsBefore);
    assertThat(checkpointsAfter).isEqualTo(checkpointsBefore);
    assertRejected(unknownStatus, 1, "Unknown session 'no-such-session'");
    assertRejected(unknownCheckpoints, 1, "Unknown session 'no-such-session'");
    assertRejected(inactivePhase, 1, "Phase 'DoD' is not active");
    assertRejected(metricWithoutValue, 1, "novalue");
    assertRejected(badCheckpointId, 1, "Invalid checkpoint id 'bad..id'");
  }

  @Test
  void unknownCommandsAndMissingRequiredOptionsAreUsageErrors() {
    // when
    Result unknown = cortex(data, "frobnicate");
    Result missingSession = cortex(data, "status");
    Result missingPhase = cortex(data, "phase", "complete", "--session", SESSION);

    // then
    for (Result usage : List.of(unknown, missingSession, missingPhase)) {
      assertThat(usage.exit()).as("exit code of %s", usage).isEqualTo(2);
      assertThat(usage.out()).as("stdout of %s", usage).isEmpty();
    }
    assertThat(unknown.err()).contains("frobnicate");
    assertThat(missingSession.err()).contains("--session");
    assertThat(missingPhase.err()).contains("--phase");
    // no engine was booted, so no database was created
    assertThat(data).isEmptyDirectory();
  }

  // --- configuration ---

  @Test
  void invalidConfigurationIsRefusedNamingTheKeyPathAndAValidOneIsAccepted() throws IOException {
    // given
    Path invalid = Files.writeString(temp.resolve("invalid.yaml"), "checkpoint:\n  maxCheckpoints: ten\n");
    Path valid = Files.writeString(temp.resolve("valid.yaml"),
        "checkpoint:\n  maxCheckpoints: 10\nserver:\n  port: 9090\n");
    String r = repo.dir().toString();

    // when
    Result beforeCommand = cortex(data, "--config", invalid.toString(), "start", "planning", "--repo", r,
        "--session", SESSION);
    Result afterCommand = cortex(data, "start", "planning", "--repo", r, "--session", SESSION,
        "--config", invalid.toString());
    Result accepted = cortex(data, "--config", valid.toString(), "start", "planning", "--repo", r,
        "--session", SESSION);

    // then
    for (Result refused : List.of(beforeCommand, afterCommand)) {
      assertThat(refused.exit()).as("exit code of %s", refused).isEqualTo(1);
      assertThat(refused.err()).startsWith("cortex: ").contains("checkpoint.maxCheckpoints", "ten");
      assertThat(refused.out()).isEmpty();
    }
    // the refused calls started nothing: the same session id starts fine afterwards
    assertSucceeded(accepted);
    assertThat(accepted.out()).contains("session-start");
  }

  // --- export and import ---

  @Test
  void exportWritesTheSeedFileIntoTheDataDirectoryNotTheWorkingTreeOrWhereOutSays() throws IOException {
    // given
    startPlanningAndCompleteDoR(data);
    JsonNode source = JSON.readTree(checkpointsJson(data, SESSION));
    Path file = temp.resolve("exports/feature.json");
    String statusBefore = repo.git("status", "--porcelain", "--untracked-files=all");

    // when
    Result toDefault = cortex(data, "export", "--session", SESSION);
    Result toFile = cortex(data, "export", "--session", SESSION, "--out", file.toString());

    // then: nothing lands in the user's working tree
    assertSucceeded(toDefault);
    assertThat(repo.dir().resolve(".cortex")).doesNotExist();
    assertThat(repo.git("status", "--porcelain", "--untracked-files=all")).isEqualTo(statusBefore);
    Path defaultFile = data.resolve("exports/phase-checkpoints-" + SESSION + ".json");
    assertThat(defaultFile).isRegularFile();
    assertThat(toDefault.out()).contains("2 checkpoints", defaultFile.toString());
    JsonNode seed = JSON.readTree(defaultFile.toFile());
    assertThat(fieldNames(seed)).containsExactlyInAnyOrder("session_id", "created_at", "checkpoints");
    assertThat(seed.get("session_id").asText()).isEqualTo(SESSION);
    assertThat(seedIds(seed.get("checkpoints"))).containsExactly("session-start", "dor-1");
    JsonNode dor1 = seed.get("checkpoints").get(1);
    assertThat(dor1.get("phase").asText()).isEqualTo("DoR");
    assertThat(dor1.get("commit_sha")).isEqualTo(source.get(1).get("commitSha"));
    assertThat(dor1.get("created_at")).isEqualTo(source.get(1).get("createdAt"));
    assertThat(dor1.get("metrics")).isEqualTo(source.get(1).get("metrics"));
    assertSucceeded(toFile);
    assertThat(toFile.out()).contains(file.toString());
    assertThat(JSON.readTree(file.toFile())).isEqualTo(seed);
    // the seed's format: every checkpoint entry has these keys (phase is null where there is none)
    for (JsonNode entry : seed.get("checkpoints")) {
      assertThat(fieldNames(entry)).as("keys of %s", entry)
          .contains("phase", "checkpoint_id", "commit_sha", "created_at", "metrics");
    }
  }

  @Test
  void exportedCheckpointsImportIntoANewDataDirectoryOnce() throws IOException {
    // given
    String r = repo.dir().toString();
    startPlanningAndCompleteDoR(data);
    JsonNode source = JSON.readTree(checkpointsJson(data, SESSION));
    Path file = temp.resolve("feature.json");
    assertSucceeded(cortex(data, "export", "--session", SESSION, "--out", file.toString()));
    Path otherData = Files.createDirectories(temp.resolve("other-data"));

    // when
    Result firstImport = cortex(otherData, "import", file.toString(), "--repo", r);
    String imported = checkpointsJson(otherData, SESSION);
    Result secondImport = cortex(otherData, "import", file.toString(), "--repo", r);

    // then
    assertSucceeded(firstImport);
    assertThat(firstImport.out()).contains("Imported 2 checkpoints");
    JsonNode target = JSON.readTree(imported);
    assertThat(ids(target)).isEqualTo(ids(source));
    for (int i = 0; i < source.size(); i++) {
      for (String field : List.of("checkpointId", "phase", "type", "metrics", "createdAt")) {
        assertThat(target.get(i).get(field)).as("%s of checkpoint %d", field, i).isEqualTo(source.get(i).get(field));
      }
    }
    assertSucceeded(secondImport);
    assertThat(secondImport.out()).contains("Imported 0 checkpoints");
    assertThat(checkpointsJson(otherData, SESSION)).isEqualTo(imported);
  }

  @Test
  void malformedCheckpointFilesImportNothing() throws IOException {
    // given
    String head = repo.git("rev-parse", "HEAD").trim();
    Path notJson = Files.writeString(temp.resolve("broken.json"), "{ \"session_id\": \"seed-1\", \"checkpoints\": [");
    String goodEntry = "{\"phase\": \"DoR\", \"checkpoint_id\": \"dor-1\", \"commit_sha\": \"" + head + "\","
        + " \"created_at\": \"2025-01-02T03:04:05.678Z\", \"metrics\": {\"requirements_validated\": true}}";
    String badEntry = "{\"phase\": \"Implementation\", \"checkpoint_id\": \"implementation-1\","
        + " \"commit_sha\": \"not-a-commit\", \"created_at\": \"2025-01-02T04:00:00Z\", \"metrics\": {}}";
    Path halfBad = Files.writeString(temp.resolve("half-bad.json"), "{\"session_id\": \"seed-1\","
        + " \"created_at\": \"2025-01-02T03:00:00Z\", \"checkpoints\": [" + goodEntry + ", " + badEntry + "]}");
    Path good = Files.writeString(temp.resolve("good.json"), "{\"session_id\": \"seed-1\","
        + " \"created_at\": \"2025-01-02T03:00:00Z\", \"checkpoints\": [" + goodEntry + "]}");
    String refsBefore = allRefs(repo.dir());
    String r = repo.dir().toString();

    // when
    Result broken = cortex(data, "import", notJson.toString(), "--repo", r);
    Result partlyBroken = cortex(data, "import", halfBad.toString(), "--repo", r);
    Result listAfterwards = cortex(data, "checkpoints", "--session", "seed-1", "--json");

    // then
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).startsWith("cortex: ").contains("Cannot import");
    assertThat(partlyBroken.exit()).isEqualTo(1);
    assertThat(partlyBroken.err()).startsWith("cortex: ").contains("nothing imported", "checkpoints[1]");
    assertRejected(listAfterwards, 1, "Unknown session 'seed-1'");
    assertThat(allRefs(repo.dir())).isEqualTo(refsBefore);

    // and the good entry alone imports
    Result fine = cortex(data, "import", good.toString(), "--repo", r);
    assertSucceeded(fine);
    assertThat(fine.out()).contains("Imported 1 checkpoint ");
  }

  // --- rebuild ---

  @Test
  void rebuildRestoresASessionsCheckpointsFromTheRefsIntoANewDataDirectory() throws IOException {
    // given
    String r = repo.dir().toString();
    startPlanningAndCompleteDoR(data);
    JsonNode source = JSON.readTree(checkpointsJson(data, SESSION));
    Path otherData = Files.createDirectories(temp.resolve("other-data"));

    // when
    Result rebuild = cortex(otherData, "rebuild", "--repo", r);
    JsonNode rebuilt = JSON.readTree(checkpointsJson(otherData, SESSION));
    Result withoutTarget = cortex(otherData, "rebuild");

    // then
    assertSucceeded(rebuild);
    assertThat(rebuild.out()).contains("Rebuilt 2 checkpoints of 1 session");
    assertThat(ids(rebuilt)).containsExactly("session-start", "dor-1");
    for (int i = 0; i < source.size(); i++) {
      for (String field : List.of("checkpointId", "phase", "type", "commitSha", "baseSha", "metrics", "createdAt")) {
        assertThat(rebuilt.get(i).get(field)).as("%s of checkpoint %d", field, i).isEqualTo(source.get(i).get(field));
      }
    }
    assertRejected(withoutTarget, 1, "rebuild needs --repo");
  }

  // --- demo ---

  @Test
  void demoRunsAWholePlanningSessionOnAScratchRepositoryWithoutCommittingItsFiles() {
    // given
    Path demo = temp.resolve("demo");

    // when
    Result result = cortex(data, "demo", "--dir", demo.toString());

    // then
    assertSucceeded(result);
    assertThat(result.out()).contains("session-start", "dor-1", "implementation-1", "dod-1", "is complete");
    assertThat(checkpointRefs(demo)).hasSize(4)
        .allSatisfy(ref -> assertThat(ref).startsWith("refs/cortex/checkpoints/demo-"))
        .anySatisfy(ref -> assertThat(ref).endsWith("/implementation-1"));
    assertThat(git(demo, "status", "--porcelain").lines().toList()).containsExactlyInAnyOrder(
        " M src/App.java", "?? docs/", "?? src/Auth.java", "?? test/");
    assertThat(git(demo, "rev-list", "--count", "HEAD").trim()).isEqualTo("1");
  }

  // --- helpers ---

  private void startPlanningAndCompleteDoR(Path dataDir) {
    assertSucceeded(cortex(dataDir, "start", "planning", "--repo", repo.dir().toString(), "--session", SESSION));
    assertSucceeded(cortex(dataDir, "phase", "complete", "--session", SESSION, "--phase", "DoR",
        "--metric", "requirements_validated=true", "--metric", "acceptance_criteria_count=5"));
  }

  static void assertSucceeded(Result result) {
    assertThat(result.exit()).as("exit code; stderr: %s", result.err()).isZero();
    assertThat(result.err()).as("stderr").isEmpty();
  }

  /**
   * Exit {@code exit}, nothing on stdout (under {@code --json}: the error as a JSON object), exactly one line on
   * stderr, prefixed and naming the problem — and nothing else on the process's stderr, where the launcher's user
   * would see it too.
   */
  static void assertRejected(Result result, int exit, String messagePart) {
    assertThat(result.exit()).as("exit code of %s", result).isEqualTo(exit);
    if (result.out().isEmpty()) {
      assertThat(result.out()).as("stdout of %s", result).isEmpty();
    } else {
      JsonNode error = readJson(result.out());
      assertThat(fieldNames(error)).as("JSON error of %s", result).contains("type", "message", "exitCode");
      assertThat(error.get("message").asText()).contains(messagePart);
      assertThat(error.get("exitCode").asInt()).isEqualTo(exit);
    }
    assertThat(result.err().lines().toList()).as("stderr lines of %s", result).singleElement()
        .satisfies(line -> assertThat(line).startsWith("cortex: ").contains(messagePart));
    assertThat(result.processErr().lines().limit(3).toList())
        .as("first lines of other output on the process's stderr during %s", result).isEmpty();
  }

  private static String checkpointsJson(Path dataDir, String session) {
    Result result = cortex(dataDir, "checkpoints", "--session", session, "--json");
    assertSucceeded(result);
    return result.out();
  }

  private static List<String> ids(JsonNode checkpoints) {
    return StreamSupport.stream(checkpoints.spliterator(), false).map(c -> c.get("checkpointId").asText()).toList();
  }

  /** The ids of an export file's checkpoints: the file format keeps its snake_case names. */
  private static List<String> seedIds(JsonNode checkpoints) {
    return StreamSupport.stream(checkpoints.spliterator(), false).map(c -> c.get("checkpoint_id").asText()).toList();
  }

  static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String allRefs(Path repository) {
    return git(repository, "for-each-ref", "--format=%(refname) %(objectname)");
  }

  private static List<String> checkpointRefs(Path repository) {
    return git(repository, "for-each-ref", "--format=%(refname)", "refs/cortex/checkpoints/").lines().toList();
  }

  /** Runs the git command line in {@code dir}; fails on a non-zero exit. */
  private static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
