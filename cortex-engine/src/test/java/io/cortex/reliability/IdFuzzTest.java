package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Ids;
import io.cortex.checkpoint.InvalidIdException;
import io.cortex.checkpoint.Session;
import io.cortex.git.CheckpointRefs;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session and checkpoint ids from a seeded generator of hostile strings (ref-name rule breakers, path
 * traversal, NUL and control characters, unicode, 101+ characters) through every API call that takes one:
 * each either succeeds with a valid id or fails with a clear {@link CortexException}, and a failure changes
 * nothing — refs, index, working tree, everything else in the folder, catalogue and audit log byte-identical.
 */
class IdFuzzTest {

  private static final long SEED = 7_000_001L;
  private static final int CASES = 250 * Fuzz.SCALE;
  private static final java.util.concurrent.atomic.AtomicInteger SESSIONS = new java.util.concurrent.atomic.AtomicInteger();

  @TempDir
  Path temp;

  private final Cortex cortex = SharedEngine.cortex();
  private TempRepo repo;
  private String session;

  @BeforeEach
  void setUp() {
    session = "id-fuzz-" + SESSIONS.incrementAndGet();
    repo = TempRepo.init(temp).write("README.md", "# ids\n").commitAll("init");
    cortex.startSession(Workflow.PLANNING, session, repo.dir());
    repo.write("a.txt", "1\n");
    cortex.createCheckpoint(session, "v1", Map.of());
    repo.write("a.txt", "2\n");
    cortex.createCheckpoint(session, "v2", Map.of());
    cortex.rollback(session, "v1", true);
  }

  @Test
  void hostileIdsThroughTheApiGetAClearErrorAndChangeNothing() {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int rejected = 0;
    int accepted = 0;
    State before = state();
    for (int n = 0; n < CASES; n++) {
      String id = Fuzz.id(random);
      int op = random.nextInt(10);
      String where = "seed " + SEED + " case " + n + " op " + op + " id '" + Fuzz.show(id) + "'";
      Throwable failure = null;
      try {
        call(op, id, random.nextBoolean()).get();
      } catch (Throwable t) {
        failure = t;
      }
      boolean valid = Fuzz.validId(id);
      if (failure == null) {
        if (!valid) {
          failures.add(where + ": an invalid id was accepted");
        }
        accepted++;
        before = state(); // a valid id may change things; the next case starts from here
        continue;
      }
      if (!(failure instanceof CortexException)) {
        failures.add(where + ": not a CortexException but " + failure);
        continue;
      }
      String message = failure.getMessage();
      if (message == null || message.isBlank() || message.chars().anyMatch(c -> c < 32)) {
        failures.add(where + ": unclear message '" + Fuzz.show(String.valueOf(message)) + "'");
      }
      if (!valid && op < 9 && !(failure instanceof InvalidIdException && message.startsWith("Invalid ")
          && message.contains(Ids.RULE))) {
        failures.add(where + ": expected 'Invalid ... id' with the rule, got " + failure);
      }
      rejected++;
      State after = state();
      if (!after.equals(before)) {
        failures.add(where + ": a failed call changed " + before.difference(after));
        before = after;
      }
    }
    assertThat(failures).as("fuzz failures").isEmpty();
    assertThat(rejected).isGreaterThan(CASES / 2);
    System.out.printf("reliability/fuzz-ids-api: seed=%d cases=%d rejected=%d accepted=%d failures=%d%n", SEED, CASES,
        rejected, accepted, failures.size());
  }

  @Test
  void theIdRuleAgreesWithItsDocumentationAndEveryAcceptedIdIsAGitRefName() {
    Random random = new Random(SEED + 1);
    List<String> disagreements = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      String id = n % 2 == 0 ? Fuzz.id(random) : Fuzz.word(random, 120);
      if (Ids.isValid(id) != Fuzz.validId(id)) {
        disagreements.add(Fuzz.show(id));
      }
      if (Ids.isValid(id) && accepted.size() < 150) {
        accepted.add(id);
      }
    }
    List<String> gitRejects = new ArrayList<>();
    for (String id : accepted) {
      Consistency.Run run = Consistency.run(temp, "git", "check-ref-format", CheckpointRefs.refName("s-1", id));
      if (run.exit() != 0) {
        gitRejects.add(id);
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(accepted).hasSizeGreaterThan(100);
    assertThat(gitRejects).as("ids Cortex accepts that git rejects as ref names").isEmpty();
  }

  /** One API call with {@code id} in the place an id goes. */
  private Supplier<Object> call(int op, String id, boolean flag) {
    return switch (op) {
      case 0 -> () -> cortex.createCheckpoint(session, id, Map.of());
      case 1 -> () -> cortex.createCheckpoint(id, null, Map.of());
      case 2 -> () -> cortex.rollback(session, id, flag);
      case 3 -> () -> cortex.undo(id, true);
      case 4 -> () -> flag ? cortex.preview(session, id) : cortex.checkSafety(session, id);
      case 5 -> () -> flag ? cortex.diff(session, id, "v1") : cortex.diff(session, "v1", id);
      case 6 -> () -> cortex.startSession(Workflow.PLANNING, id, repo.dir());
      case 7 -> () -> flag ? cortex.export(id, null) : cortex.status(id);
      case 8 -> () -> flag ? cortex.checkpoint(session, id) : cortex.audit(id, 10);
      default -> () -> cortex.rollback("rollback session " + id + " to checkpoint " + id, null);
    };
  }

  /** Everything a failed call must leave alone: the folder (repository with .git), catalogue, audit log. */
  private State state() {
    List<Session> sessions = cortex.sessions();
    List<AuditEntry> newest = cortex.audit(null, 1); // entries are only ever appended: the newest tells
    return new State(DiskState.everything(temp), sessions, cortex.checkpoints(session), newest.size(),
        newest.isEmpty() ? null : newest.get(0).entryId());
  }

  private record State(Map<String, String> disk, List<Session> sessions, List<Checkpoint> checkpoints,
                       int auditEntries, String lastAuditEntry) {
    String difference(State other) {
      List<String> parts = new ArrayList<>();
      if (!disk.equals(other.disk)) {
        parts.add("files");
      }
      if (!sessions.equals(other.sessions)) {
        parts.add("sessions");
      }
      if (!checkpoints.equals(other.checkpoints)) {
        parts.add("checkpoints");
      }
      if (auditEntries != other.auditEntries || !java.util.Objects.equals(lastAuditEntry, other.lastAuditEntry)) {
        parts.add("audit log");
      }
      return String.join(", ", parts);
    }
  }
}
