package io.cortex.cli;

import static io.cortex.cli.CliRun.cortex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.cli.CliRun.Result;
import io.cortex.testing.Release01Fixture;
import io.cortex.testing.TempRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cortex rebuild} on the damage Cortex 0.1 really left (the fixture's {@code damaged} repository: rows lost
 * while their refs stayed, a reused sequence number, a moved ref, a commit that is no snapshot, metadata that does not
 * parse), where 0.1's rebuild failed with a raw unique-index violation.
 */
class RebuildRepairTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SESSION = Release01Fixture.DAMAGED_SESSION;

  @TempDir
  Path temp;

  private Release01Fixture fixture;

  @BeforeEach
  void unpack() {
    fixture = Release01Fixture.unpack(temp);
    assertThat(fixture.oldRebuildOutput()).contains("Unique index or primary key violation", "CORTEX_IDX_CP_SEQ");
  }

  @Test
  void rebuildOfTheDamagedRepositoryListsEveryRestorableCheckpointAndReportsTheRest() throws Exception {
    // when
    Result rebuild = cortex(fixture.data(), "rebuild", "--repo", fixture.damaged().toString());
    Result list = cortex(fixture.data(), "checkpoints", "--session", SESSION, "--json");

    // then: exit 0 with a summary, never a database error
    assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
    assertThat(rebuild.err()).isEmpty();
    assertThat(rebuild.out()).contains("Rebuilt 4 checkpoints of 1 session", "Kept 1 catalogue row whose ref is missing or moved")
        .contains("renumbered: slfs/red-1: sequence 3 -> 5")
        .contains("slfs/user-1: catalogue row kept, its ref refs/cortex/checkpoints/slfs/user-1 does not hold it",
            "the snapshot of slfs/user-3", "git update-ref refs/cortex/checkpoints/slfs/user-1 ")
        .contains("slfs/notes-1: not restored", "no readable checkpoint metadata", "git update-ref -d refs/cortex/checkpoints/slfs/notes-1")
        .contains("slfs/garbled-1: not restored")
        .contains("3 problems reported above")
        .doesNotContain("Unique index", "SQL");
    // listed in sequence order: red-1, which had reused 3, now comes last
    assertThat(ids(list)).containsExactly("session-start", "user-1", "user-2", "user-3", "red-1");

    // and: rebuilding again gives the same rows (the refs still say sequence 3 for red-1, hence the same report)
    Result again = cortex(fixture.data(), "rebuild", "--repo", fixture.damaged().toString());
    assertThat(again.exit()).isZero();
    assertThat(again.out()).isEqualTo(rebuild.out());
    assertThat(ids(cortex(fixture.data(), "checkpoints", "--session", SESSION, "--json"))).isEqualTo(ids(list));
  }

  @Test
  void rebuildIntoAnEmptyDataDirectoryRestoresWhatTheRefsHold() throws Exception {
    // given: the catalogue is lost altogether
    Path empty = temp.resolve("empty-data");

    // when
    Result rebuild = cortex(empty, "rebuild", "--repo", fixture.damaged().toString());

    // then: user-1's ref holds user-3's snapshot, so user-1 cannot come back; the rest does
    assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
    assertThat(rebuild.out()).contains("Rebuilt 4 checkpoints of 1 session", "slfs/user-1: not restored",
        "the snapshot of slfs/user-3");
    assertThat(ids(cortex(empty, "checkpoints", "--session", SESSION, "--json")))
        .containsExactly("session-start", "user-2", "user-3", "red-1");
  }

  @Test
  void aCheckpointAfterLostRowsTakesNeitherTheirSequenceNorTheirIdAndRebuildThenSucceeds() throws Exception {
    // given: rows of user-2 and user-3 are missing, their refs are there

    // when
    Result created = cortex(fixture.data(), "checkpoint", "create", "--session", SESSION, "--json");
    Result rebuild = cortex(fixture.data(), "rebuild", "--repo", fixture.damaged().toString());

    // then: user-2 and user-3 (sequences 3 and 4) stay taken; the new one is user-4 at sequence 5, so only the
    // sequence 0.1 reused (red-1's 3) needs renumbering
    assertThat(created.exit()).as(created.toString()).isZero();
    JsonNode c = JSON.readTree(created.out());
    assertThat(c.get("checkpoint_id").asText()).isEqualTo("user-4");
    assertThat(TempRepo.open(fixture.damaged()).git("rev-parse", "refs/cortex/checkpoints/slfs/user-2").strip())
        .isEqualTo("3bddc3be1cb5f70946a94ca8434b97d0269244d4");
    assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
    assertThat(rebuild.out()).contains("Rebuilt 5 checkpoints", "renumbered: slfs/red-1: sequence 3 -> 6");
    assertThat(ids(cortex(fixture.data(), "checkpoints", "--session", SESSION, "--json")))
        .containsExactly("session-start", "user-1", "user-2", "user-3", "user-4", "red-1");
  }

  @Test
  void rollbackToACheckpointWhoseRefWasMovedIsRefusedEvenWithForce() {
    // given: user-1's ref points at user-3's snapshot, its row still names its own

    // when
    Result rollback = cortex(fixture.data(), "rollback", "rollback session slfs to user-1", "--force");

    // then
    assertThat(rollback.exit()).isNotZero();
    assertThat(rollback.err()).contains("refs/cortex/checkpoints/slfs/user-1 points at b31bef0",
        "its catalogue row at 384fb3f", "git update-ref");
  }

  private static List<String> ids(Result list) throws Exception {
    assertThat(list.exit()).as(list.toString()).isZero();
    List<String> result = new ArrayList<>();
    for (JsonNode c : JSON.readTree(list.out())) {
      result.add(c.get("checkpoint_id").asText());
    }
    return result;
  }
}
