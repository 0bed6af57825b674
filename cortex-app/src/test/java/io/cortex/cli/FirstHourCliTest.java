package io.cortex.cli;

import static io.cortex.cli.CliRun.cortex;
import static io.cortex.cli.CortexCliTest.assertRejected;
import static io.cortex.cli.CortexCliTest.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.cli.CliRun.Result;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a new user meets in the first hour with {@code ./cortex}: help everywhere, suggestions for typos, JSON that
 * parses, the TDD cycle choice, what automation did after a failed gate, rollbacks refused only when something
 * would be lost, sessions to list, delete and resume, a retention dry run — each called as a user calls it, on a
 * real repository and a real engine, one engine per call.
 */
class FirstHourCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  private Path data;
  private TempRepo repo;

  @BeforeEach
  void setUp() throws IOException {
    data = Files.createDirectories(temp.resolve("data"));
    repo = TempRepo.init(temp).write("README.md", "# app\n").write("src/App.java", "class App {}\n").commitAll("initial");
  }

  // --- help and typos ---

  @Test
  void everyCommandAndSubcommandAnswersHelpWithExitZeroEvenWithoutItsRequiredOptions() {
    // given: every command path of the real command tree
    List<List<String>> paths = new ArrayList<>();
    collect(CortexCli.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).extracting(p -> String.join(" ", p))
        .contains("status", "phase complete", "phase fail", "session delete", "session resume", "sessions", "serve",
            "checkpoint create", "audit", "retention", "rebuild", "demo", "history", "diff");

    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        // when
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        Result help = cortex(data, args.toArray(String[]::new));

        // then
        assertThat(help.exit()).as("exit of %s %s", path, help).isZero();
        assertThat(help.out()).as("help of %s", path).startsWith("Usage: cortex " + String.join(" ", path));
        assertThat(help.err()).isEmpty();
      }
    }
    // no engine was booted for any of it
    assertThat(data).isEmptyDirectory();
  }

  @Test
  void helpGoesTwoLevelsDeepAndShowsTheSubcommandsOwnOptions() {
    // when
    Result help = cortex(data, "help", "phase", "complete");
    Result sessionHelp = cortex(data, "help", "session", "resume");

    // then
    assertSucceeded(help);
    assertThat(help.out()).startsWith("Usage: cortex phase complete").contains("--metric", "--var", "--next-cycle", "--finish");
    assertSucceeded(sessionHelp);
    assertThat(sessionHelp.out()).startsWith("Usage: cortex session resume").contains("--phase", "--workflow");
  }

  @Test
  void typosGetPicocliSuggestionsAndAMistypedOptionIsUnknownNotMissing() {
    // when
    Result command = cortex(data, "rolback", "rollback s to x");
    Result option = cortex(data, "status", "--sesion", "feature-1");
    Result help = cortex(data, "help", "phse");

    // then
    assertRejected(command, 2, "Did you mean rollback?");
    assertThat(command.err()).contains("Unknown command: 'rolback'");
    assertRejected(option, 2, "Unknown option: '--sesion'");
    assertThat(option.err()).contains("Did you mean --session?").doesNotContain("Missing required");
    assertRejected(help, 2, "Did you mean phase?");
    assertThat(data).isEmptyDirectory();
  }

  @Test
  void everyCommandsLineInTheCommandListIsAWholeSentence() {
    // given: the command list shows the first line of each description
    List<List<String>> paths = new ArrayList<>();
    collect(CortexCli.commandLine(), new ArrayList<>(), paths);
    CommandLine root = CortexCli.commandLine();

    for (List<String> path : paths) {
      CommandLine command = root;
      for (String name : path) {
        command = command.getSubcommands().get(name);
      }
      // then
      String first = command.getCommandSpec().usageMessage().description()[0];
      assertThat(first).as("first description line of %s", path).endsWith(".").doesNotEndWith(":");
    }
  }

  // --- JSON ---

  @Test
  void everyJsonOutputParsesWithCamelCaseKeysAndIsoTimesAndRefusalsAreJsonToo() throws IOException {
    // given
    String r = repo.dir().toString();
    JsonNode start = json(cortex(data, "start", "planning", "--repo", r, "--session", "s1", "--json"));
    repo.write("docs/req.md", "requirements\n");
    JsonNode dor = json(cortex(data, "phase", "complete", "--session", "s1", "--phase", "DoR", "--json"));
    repo.write("README.md", "# app v2\n");
    JsonNode created = json(cortex(data, "checkpoint", "create", "--session", "s1", "--id", "mine", "--json"));

    // when
    JsonNode status = json(cortex(data, "status", "--session", "s1", "--json"));
    JsonNode checkpoints = json(cortex(data, "checkpoints", "--session", "s1", "--json"));
    JsonNode history = json(cortex(data, "history", "--session", "s1", "--json"));
    JsonNode diffStat = json(cortex(data, "diff", "--session", "s1", "session-start", "dor-1", "--stat", "--json"));
    JsonNode diff = json(cortex(data, "diff", "--session", "s1", "session-start", "dor-1", "--json"));
    JsonNode preview = json(cortex(data, "rollback", "rollback session s1 to dor-1", "--dry-run", "--json"));
    repo.git("-c", "user.name=u", "-c", "user.email=u@x", "commit", "-q", "--allow-empty", "-m", "moved on");
    Result refusedResult = cortex(data, "rollback", "rollback session s1 to session-start", "--json");
    repo.write("README.md", "# app v3\n"); // not in any checkpoint: the rollback must be forced
    JsonNode rollback = json(cortex(data, "rollback", "rollback session s1 to dor-1", "--force", "--json"));
    JsonNode undo = json(cortex(data, "undo", "--session", "s1", "--json"));
    JsonNode audit = json(cortex(data, "audit", "--session", "s1", "--json"));
    JsonNode sessions = json(cortex(data, "sessions", "--json"));
    JsonNode export = json(cortex(data, "export", "--session", "s1", "--json"));
    JsonNode retention = json(cortex(data, "retention", "--dry-run", "--json"));
    JsonNode deletion = json(cortex(data, "session", "delete", "s1", "--dry-run", "--force", "--json"));

    // then
    assertThat(start.get("sessionId").asText()).isEqualTo("s1");
    assertThat(texts(start.get("activePhases"))).containsExactly("DoR");
    assertThat(dor.get("checkpoints").get(0).get("checkpointId").asText()).isEqualTo("dor-1");
    assertThat(created.get("checkpointId").asText()).isEqualTo("mine");
    assertThat(Instant.parse(created.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(status.get("next").toString()).contains("phase complete --session s1 --phase Implementation");
    assertThat(checkpoints).hasSize(3);
    assertThat(history.get(0).get("subject").asText()).isEqualTo("initial");
    assertThat(Instant.parse(history.get(0).get("time").asText())).isBefore(Instant.now());
    assertThat(diffStat.has("patch")).isFalse();
    assertThat(diffStat.get("filesChanged").asInt()).isEqualTo(1);
    assertThat(diff.get("patch").asText()).contains("+requirements");
    assertThat(preview.get("executed").asBoolean()).isFalse();
    assertThat(preview.get("preview").get("modified").toString()).contains("README.md");
    assertThat(refusedResult.exit()).isEqualTo(1);
    JsonNode refused = JSON.readTree(refusedResult.out());
    assertThat(refused.get("type").asText()).isEqualTo("RollbackRefusedException");
    assertThat(refused.get("exitCode").asInt()).isEqualTo(1);
    assertThat(refused.get("safety").get("safe").asBoolean()).isFalse();
    assertThat(refused.get("refusals").get(0).get("kind").asText()).isEqualTo("HEAD_MOVED");
    assertThat(rollback.get("preRollbackCheckpointId").asText()).isEqualTo("pre-rollback-1");
    assertThat(undo.get("undo").asBoolean()).isTrue();
    assertThat(audit.findValuesAsText("action")).contains("ROLLBACK_COMPLETED", "UNDO_COMPLETED");
    assertThat(audit.get(0).has("entryId")).isTrue();
    assertThat(sessions.get(0).get("lastCheckpoint").get("type").asText()).isEqualTo("PRE_ROLLBACK");
    assertThat(sessions.get(0).get("origin").asText()).isEqualTo("workflow");
    assertThat(Path.of(export.get("file").asText())).startsWith(data);
    assertThat(retention.get("dryRun").asBoolean()).isTrue();
    assertThat(deletion.get("refs")).hasSize(deletion.get("checkpoints").size());
    for (JsonNode node : List.of(start, dor, created, status, checkpoints, history, diff, preview, rollback, undo, audit,
        sessions, export, retention, deletion)) {
      assertThat(keys(node)).as("keys of %s", node).noneMatch(k -> k.contains("_") && !k.startsWith("gate_"));
    }
  }

  @Test
  void auditOfAnUnknownSessionIsAnErrorLikeEveryOtherCommand() {
    // given
    assertSucceeded(cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", "s1"));

    // when
    Result audit = cortex(data, "audit", "--session", "nosuch");

    // then
    assertRejected(audit, 1, "Unknown session 'nosuch'");
  }

  // --- the TDD cycle ---

  @Test
  void refactorAsksForTheCycleChoiceRejectsUnknownVariablesAndAFinishedSessionResumes() throws IOException {
    // given
    String r = repo.dir().toString();
    assertSucceeded(cortex(data, "start", "tdd", "--repo", r, "--session", "t1"));
    assertSucceeded(cortex(data, "phase", "complete", "--session", "t1", "--phase", "RED"));
    assertSucceeded(cortex(data, "phase", "complete", "--session", "t1", "--phase", "GREEN"));
    Result status = cortex(data, "status", "--session", "t1");

    // when
    Result noChoice = cortex(data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR");
    Result typo = cortex(data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR", "--var", "another_cycle=true");
    Result both = cortex(data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR", "--next-cycle", "--finish");
    Result next = cortex(data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR", "--next-cycle");

    // then
    assertThat(status.out()).contains("--next-cycle", "--finish");
    assertRejected(noChoice, 1, "needs a choice: add --next-cycle");
    assertRejected(typo, 1, "Unknown variable 'another_cycle'");
    assertThat(typo.err()).contains("Did you mean anotherCycle?");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertSucceeded(next);
    assertThat(next.out()).contains("refactor-1", "Waiting in phase: RED");

    // when: the second cycle finishes, then the session is resumed
    assertSucceeded(cortex(data, "phase", "complete", "--session", "t1", "--phase", "RED"));
    assertSucceeded(cortex(data, "phase", "complete", "--session", "t1", "--phase", "GREEN"));
    Result finish = cortex(data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR", "--finish");
    Result ended = cortex(data, "status", "--session", "t1");
    repo.write("src/More.java", "class More {}\n");
    Map<String, String> disk = DiskState.workingTree(repo.dir());
    Result resume = cortex(data, "session", "resume", "t1");
    Result again = cortex(data, "session", "resume", "t1");

    // then
    assertSucceeded(finish);
    assertThat(finish.out()).contains("refactor-2", "is complete");
    assertThat(ended.out()).contains("ended", "./cortex session resume t1");
    assertSucceeded(resume);
    assertThat(resume.out()).contains("Resumed session t1", "resumed-1", "Waiting in phase: RED");
    assertThat(DiskState.workingTree(repo.dir())).isEqualTo(disk);
    assertRejected(again, 1, "only a session that has ended can be resumed");
    assertSucceeded(cortex(data, "phase", "complete", "--session", "t1", "--phase", "RED"));
  }

  // --- what automation did ---

  @Test
  void aFailedGateSaysWhatFailedWhatRecoveryRestoredWhereTheWorkIsAndHowToUndo() throws IOException {
    // given: REFACTOR's gate fails while broken.txt exists
    Path config = Files.writeString(temp.resolve("cortex.yaml"), """
        recovery:
          strategy: IMMEDIATE
          retry: { maxAttempts: 1, initialDelayMs: 0 }
        gates:
          workflows:
            cortex-tdd:
              REFACTOR: { command: "if [ -f broken.txt ]; then echo 'test failed: AppTest'; exit 3; fi", expect: PASS }
        """);
    String r = repo.dir().toString();
    assertSucceeded(cortex(data, "--config", config.toString(), "start", "tdd", "--repo", r, "--session", "g1"));
    assertSucceeded(cortex(data, "--config", config.toString(), "phase", "complete", "--session", "g1", "--phase", "RED"));
    assertSucceeded(cortex(data, "--config", config.toString(), "phase", "complete", "--session", "g1", "--phase", "GREEN"));
    repo.write("broken.txt", "my refactoring\n");

    // when
    Result refactor = cortex(data, "--config", config.toString(), "phase", "complete", "--session", "g1", "--phase",
        "REFACTOR", "--finish");

    // then: exit 1, and the whole story
    assertThat(refactor.exit()).as(refactor.toString()).isEqualTo(1);
    assertThat(refactor.err().lines().toList()).singleElement().satisfies(line ->
        assertThat(line).startsWith("cortex: Phase REFACTOR of session g1 did not complete: Gate of phase REFACTOR failed"));
    assertThat(refactor.out())
        .contains("exited with 3 (expected success)")
        .contains("| test failed: AppTest")
        .contains("Recovery IMMEDIATE (attempt 1): restored checkpoint green-1")
        .contains("kept in checkpoint pre-rollback-1")
        .contains("./cortex undo --session g1")
        .contains("Waiting in phase: REFACTOR")
        .doesNotContain("null");
    assertThat(repo.dir().resolve("broken.txt")).doesNotExist();

    // when: the user takes the work back as told
    Result undo = cortex(data, "--config", config.toString(), "undo", "--session", "g1");

    // then
    assertSucceeded(undo);
    assertThat(repo.read("broken.txt")).isEqualTo("my refactoring\n");
  }

  // --- safety ---

  @Test
  void rightAfterARollbackASecondRollbackToTheSameOrAnotherCheckpointNeedsNoForce() throws IOException {
    // given: a rollback forced past uncommitted work leaves the tree equal to dor-1 (uncommitted against HEAD)
    String r = repo.dir().toString();
    assertSucceeded(cortex(data, "start", "planning", "--repo", r, "--session", "s1"));
    repo.write("docs/req.md", "requirements\n");
    assertSucceeded(cortex(data, "phase", "complete", "--session", "s1", "--phase", "DoR"));
    repo.write("src/Impl.java", "class Impl {}\n");
    assertSucceeded(cortex(data, "phase", "complete", "--session", "s1", "--phase", "Implementation"));
    repo.write("README.md", "# lost?\n");
    assertRefused(cortex(data, "rollback", "rollback session s1 to dor-1"), "Uncommitted changes detected");
    assertSucceeded(cortex(data, "rollback", "rollback session s1 to dor-1", "--force"));

    // when
    Result dryRun = cortex(data, "rollback", "rollback session s1 to dor-1", "--dry-run");
    Result same = cortex(data, "rollback", "rollback session s1 to dor-1");
    Result other = cortex(data, "rollback", "rollback session s1 to implementation-1");

    // then
    assertThat(dryRun.out()).contains("nothing: the working tree already equals the checkpoint", "Safety check: passed");
    assertSucceeded(same);
    assertSucceeded(other);
    assertThat(repo.read("src/Impl.java")).isEqualTo("class Impl {}\n");

    // but work no checkpoint holds is still refused
    repo.write("README.md", "# new work\n");
    assertRefused(cortex(data, "rollback", "rollback session s1 to dor-1"), "Add --force to roll back anyway");
  }

  // --- sessions ---

  @Test
  void sessionsAreListedAndDeletedWithTheirRefsAndRowsAfterADryRun() throws IOException {
    // given
    String r = repo.dir().toString();
    assertSucceeded(cortex(data, "start", "planning", "--repo", r, "--session", "keep-me"));
    assertSucceeded(cortex(data, "start", "tdd", "--repo", r, "--session", "drop-me"));
    String refsBefore = repo.git("for-each-ref", "--format=%(refname)", "refs/cortex");

    // when
    Result list = cortex(data, "sessions");
    Result running = cortex(data, "session", "delete", "drop-me");
    Result dryRun = cortex(data, "session", "delete", "drop-me", "--dry-run", "--force");
    String refsAfterDryRun = repo.git("for-each-ref", "--format=%(refname)", "refs/cortex");
    Result delete = cortex(data, "session", "delete", "drop-me", "--force");

    // then
    assertSucceeded(list);
    assertThat(list.out()).contains("keep-me", "cortex-planning", "waiting in DoR", "drop-me", "cortex-tdd", "waiting in RED", r);
    assertRejected(running, 1, "is running");
    assertSucceeded(dryRun);
    assertThat(dryRun.out()).contains("Would delete session drop-me", "session-start", "1 ref", "Nothing was deleted");
    assertThat(refsAfterDryRun).isEqualTo(refsBefore);
    assertSucceeded(delete);
    assertThat(delete.out()).contains("Deleted session drop-me", "cancelled");
    assertThat(repo.git("for-each-ref", "--format=%(refname)", "refs/cortex"))
        .contains("refs/cortex/checkpoints/keep-me/").doesNotContain("drop-me");
    assertRejected(cortex(data, "status", "--session", "drop-me"), 1, "Unknown session 'drop-me'");
    assertThat(cortex(data, "sessions").out()).contains("keep-me").doesNotContain("drop-me");
    assertThat(cortex(data, "audit", "--json").out()).contains("SESSION_DELETED");
  }

  @Test
  void theDemoKeepsItsSessionsInItsOwnDataDirectory() {
    // when
    Result demo = cortex(data, "demo", "--dir", temp.resolve("demo-repo").toString());
    Result sessions = cortex(data, "sessions");

    // then
    assertSucceeded(demo);
    assertThat(demo.out()).contains("--data " + data.resolve("demo"));
    assertSucceeded(sessions);
    assertThat(sessions.out()).contains("No sessions yet");
    assertThat(cortex(data.resolve("demo"), "sessions").out()).contains("demo-", "cortex-planning");
  }

  @Test
  void retentionDryRunListsWhatWouldGoInWordsAndDeletesNothing() throws IOException {
    // given: at most 2 checkpoints per session, 4 taken
    Path config = Files.writeString(temp.resolve("cortex.yaml"), "checkpoint:\n  maxCheckpoints: 2\n");
    String c = config.toString();
    assertSucceeded(cortex(data, "--config", c, "start", "planning", "--repo", repo.dir().toString(), "--session", "s1"));
    for (String id : List.of("one", "two", "three")) {
      repo.write("notes/" + id + ".txt", id + "\n");
      assertSucceeded(cortex(data, "--config", c, "checkpoint", "create", "--session", "s1", "--id", id));
    }
    String refsBefore = repo.git("for-each-ref", "refs/cortex");

    // when
    Result dryRun = cortex(data, "--config", c, "retention", "--dry-run");
    String refsAfterDryRun = repo.git("for-each-ref", "refs/cortex");
    Result run = cortex(data, "--config", c, "retention");

    // then
    assertSucceeded(dryRun);
    assertThat(dryRun.out()).contains("Would delete 2 checkpoints (2 over the limit of 2 per session); 2 kept.",
        "s1/session-start", "s1/one", "Nothing was deleted").doesNotContain("COUNT=");
    assertThat(refsAfterDryRun).isEqualTo(refsBefore);
    assertSucceeded(run);
    assertThat(run.out()).startsWith("Deleted 2 checkpoints (2 over the limit of 2 per session); 2 kept.");
    assertThat(repo.git("for-each-ref", "--format=%(refname)", "refs/cortex")).doesNotContain("session-start", "/one");
  }

  @Test
  void importedSessionsAreLabelledAndResumeWithANamedWorkflow() throws IOException {
    // given: a session exported from one data directory and imported into another
    String r = repo.dir().toString();
    assertSucceeded(cortex(data, "start", "planning", "--repo", r, "--session", "imp-1"));
    assertSucceeded(cortex(data, "phase", "complete", "--session", "imp-1", "--phase", "DoR"));
    Path file = temp.resolve("imp-1.json");
    assertSucceeded(cortex(data, "export", "--session", "imp-1", "--out", file.toString()));
    Path other = Files.createDirectories(temp.resolve("other"));
    assertSucceeded(cortex(other, "import", file.toString(), "--repo", r));

    // when
    Result list = cortex(other, "sessions");
    Result withoutWorkflow = cortex(other, "session", "resume", "imp-1");
    Result resume = cortex(other, "session", "resume", "imp-1", "--workflow", "planning");

    // then
    assertThat(list.out()).contains("imp-1", "(imported)", "ended");
    assertRejected(withoutWorkflow, 1, "was imported");
    assertSucceeded(resume);
    assertThat(resume.out()).contains("Waiting in phase: Implementation");
  }

  // --- plumbing ---

  /** A refused rollback: exit 1, the safety check's lines on stderr, nothing on stdout. */
  private static void assertRefused(Result result, String messagePart) {
    assertThat(result.exit()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("cortex: Safety check failed").contains(messagePart);
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      if (sub.getValue().getCommandSpec().helpCommand()) {
        continue;
      }
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      paths.add(next);
      collect(sub.getValue(), next, paths);
    }
  }

  private static JsonNode json(Result result) {
    assertSucceeded(result);
    try {
      return JSON.readTree(result.out());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + result, e);
    }
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** Every object key in the tree, except inside user data (metrics and audit details keep the names given). */
  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        keys.add(field.getKey());
        if (!field.getKey().equals("metrics") && !field.getKey().equals("details")) {
          keys.addAll(keys(field.getValue()));
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> keys.addAll(keys(element)));
    }
    return keys;
  }
}
