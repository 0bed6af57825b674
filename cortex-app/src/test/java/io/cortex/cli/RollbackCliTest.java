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
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rollback, undo, diff, history and audit through the command line, sharing state across calls. */
class RollbackCliTest {

  @TempDir
  Path temp;

  @Test
  void rollbackDryRunRefusalForceUndoDiffHistoryAndAudit() throws Exception {
    // given
    Path data = temp.resolve("data");
    TempRepo repo = TempRepo.init(temp).write("README.md", "# app\n").commitAll("init");
    assertSucceeded(cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", "s1"));
    repo.write("req.md", "requirements\n");
    assertSucceeded(cortex(data, "phase", "complete", "--session", "s1", "--phase", "DoR"));
    repo.write("README.md", "# app, broken\n").write("impl.java", "impl\n");
    Map<String, String> before = DiskState.everything(repo.dir());
    Map<String, String> workingTreeBefore = DiskState.workingTree(repo.dir());

    // when: dry run
    Result dryRun = cortex(data, "rollback", "rollback session s1 to last dor", "--dry-run");

    // then
    assertSucceeded(dryRun);
    assertThat(dryRun.out()).contains("modified  README.md").contains("impl.java  (untracked").contains("Nothing was changed.")
        .doesNotContain("Safety check: Safety check failed").contains("add --force");
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);

    // when: refused, then forced
    Result refused = cortex(data, "rollback", "rollback session s1 to dor-1");
    Result forced = cortex(data, "rollback", "rollback session s1 to dor-1", "--force", "--json");

    // then
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).startsWith("cortex: Safety check failed: Uncommitted changes detected\nFiles: README.md, impl.java")
        .contains("Add --force to roll back anyway").doesNotContain("Use force");
    assertThat(refused.out()).isEmpty();
    assertSucceeded(forced);
    JsonNode json = new ObjectMapper().readTree(forced.out());
    assertThat(json.get("command").get("valid").asBoolean()).isTrue();
    assertThat(json.get("checkpointId").asText()).isEqualTo("dor-1");
    assertThat(json.get("command").get("flags").get("force").asBoolean()).isTrue();
    assertThat(json.get("executed").asBoolean()).isTrue();
    assertThat(json.get("preRollbackCheckpointId").asText()).isEqualTo("pre-rollback-1");
    assertThat(repo.read("README.md")).isEqualTo("# app\n");
    assertThat(repo.dir().resolve("impl.java")).doesNotExist();

    // when: undo
    Result undo = cortex(data, "undo", "--session", "s1");

    // then
    assertSucceeded(undo);
    assertThat(undo.out()).contains("Undo completed").contains("pre-rollback-1");
    assertThat(DiskState.workingTree(repo.dir())).isEqualTo(workingTreeBefore);
    assertThat(repo.read("README.md")).isEqualTo("# app, broken\n");
    assertThat(repo.read("impl.java")).isEqualTo("impl\n");

    // diff, history, audit
    Result diff = cortex(data, "diff", "--session", "s1", "session-start", "dor-1");
    assertSucceeded(diff);
    assertThat(diff.out()).contains("req.md").contains("1 file changed, 1 insertion(+)").contains("+requirements");
    Result history = cortex(data, "history", "--session", "s1", "-n", "5");
    assertSucceeded(history);
    assertThat(history.out()).contains("init");
    Result audit = cortex(data, "audit", "--session", "s1", "--json");
    assertSucceeded(audit);
    assertThat(new ObjectMapper().readTree(audit.out()).findValuesAsText("action")).containsSubsequence(
        "CHECKPOINT_CREATED", "SAFETY_REFUSED", "ROLLBACK_INITIATED", "CHECKPOINT_CREATED", "ROLLBACK_COMPLETED",
        "UNDO_INITIATED", "CHECKPOINT_CREATED", "UNDO_COMPLETED");
    assertThat(new ObjectMapper().readTree(audit.out()).findValuesAsText("actor")).contains("cli:" + System.getProperty("user.name"));
  }

  @Test
  void badCommandsAreRefusedWithOneLineAndChangeNothing() {
    // given
    Path data = temp.resolve("data");
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");
    assertSucceeded(cortex(data, "start", "planning", "--repo", repo.dir().toString(), "--session", "s2"));
    Map<String, String> before = DiskState.everything(repo.dir());

    // when / then
    assertRejected(cortex(data, "rollback", "please rollback s2"), 1, "Unexpected word 'please'");
    assertRejected(cortex(data, "rollback", "rollback session s2 to dor-9"), 1, "Invalid checkpoint: dor-9 not found");
    assertRejected(cortex(data, "rollback", "rollback session nope to dor-1"), 1, "Unknown session 'nope'");
    assertRejected(cortex(data, "undo", "--session", "s2"), 1, "Nothing to undo");
    assertRejected(cortex(data, "diff", "--session", "s2", "session-start"), 2, "Missing required parameter");
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
  }
}
