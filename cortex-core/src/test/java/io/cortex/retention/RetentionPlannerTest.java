package io.cortex.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.retention.RetentionPlanner.SessionCheckpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retention rules and protections, on checkpoints made up in memory. */
class RetentionPlannerTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long UNLIMITED = 0;

  @Test
  void countRuleDeletesTheOldestBeyondTheMaximum() {
    // given: 5 young checkpoints, 3 allowed
    List<Checkpoint> session = session("s", user(1, 50), user(2, 40), user(3, 30), user(4, 20), user(5, 10));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(3, DAY, UNLIMITED));

    // then
    assertThat(plan.deletedIds("s")).containsExactly("u1", "u2");
    assertThat(plan.deletions()).allMatch(d -> d.reason() == RetentionReason.COUNT);
    assertThat(ids(plan.kept())).containsExactly("u3", "u4", "u5");
  }

  @Test
  void countRuleDeletesOlderUnprotectedOnesInsteadOfAProtectedOne() {
    // given: the oldest is a young PRE_ROLLBACK
    List<Checkpoint> session = session("s", pre(1, 50), user(2, 40), user(3, 30), user(4, 20));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(2, DAY, UNLIMITED));

    // then: the session still ends with 2
    assertThat(plan.deletedIds("s")).containsExactly("u2", "u3");
    assertThat(ids(plan.kept())).containsExactly("p1", "u4");
  }

  @Test
  void countRuleLeavesMoreThanTheMaximumWhenOnlyProtectedOnesRemain() {
    // given: three young PRE_ROLLBACKs and the newest of a live session, one allowed
    List<Checkpoint> session = session("s", pre(1, 40), pre(2, 30), pre(3, 20), user(4, 10));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(1, DAY, UNLIMITED));

    // then
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.kept()).hasSize(4);
  }

  @Test
  void ageRuleDeletesCheckpointsOlderThanTheRetentionPeriod() {
    // given: one a minute past the period, one exactly at it, one younger
    List<Checkpoint> session = session("s", userAt(1, NOW.minusMillis(DAY + 60_000)), userAt(2, NOW.minusMillis(DAY)),
        userAt(3, NOW.minusMillis(DAY - 1)), user(4, 1));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(100, DAY, UNLIMITED));

    // then: "older than" is strict
    assertThat(plan.deletedIds("s")).containsExactly("u1");
    assertThat(plan.deletions().get(0).reason()).isEqualTo(RetentionReason.AGE);
  }

  @Test
  void checkpointOverTheCountAndTooOldIsDeletedForItsCount() {
    // given
    List<Checkpoint> session = session("s", userAt(1, NOW.minusMillis(3 * DAY)), userAt(2, NOW.minusMillis(2 * DAY)),
        user(3, 10), user(4, 5));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(3, DAY, UNLIMITED));

    // then
    assertThat(plan.deletions(RetentionReason.COUNT)).extracting(d -> d.checkpoint().checkpointId()).containsExactly("u1");
    assertThat(plan.deletions(RetentionReason.AGE)).extracting(d -> d.checkpoint().checkpointId()).containsExactly("u2");
  }

  @Test
  void newestCheckpointOfALiveSessionIsNeverDeleted() {
    // given: every checkpoint far too old, and a limit of 1
    List<Checkpoint> session = session("s", userAt(1, NOW.minusMillis(9 * DAY)), userAt(2, NOW.minusMillis(8 * DAY)),
        userAt(3, NOW.minusMillis(7 * DAY)));

    // when
    RetentionPlan live = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(1, HOUR, UNLIMITED));
    RetentionPlan ended = RetentionPlanner.plan(session, false, NOW, new RetentionPolicy(1, HOUR, UNLIMITED));

    // then: an ended session loses everything too old
    assertThat(ids(live.kept())).containsExactly("u3");
    assertThat(ended.kept()).isEmpty();
    assertThat(ended.deletions()).extracting(RetentionDeletion::reason)
        .containsExactly(RetentionReason.COUNT, RetentionReason.COUNT, RetentionReason.AGE);
  }

  @Test
  void preRollbackYoungerThanTheRetentionPeriodIsNeverDeleted() {
    // given: an ended session (no newest-of-live protection) with young PRE_ROLLBACKs among many
    List<Checkpoint> session = session("s", pre(1, 60), user(2, 50), pre(3, 40), user(4, 30), user(5, 20));

    // when: count 1 and a size limit that wants everything gone
    RetentionPlan plan = RetentionPlanner.plan(List.of(new SessionCheckpoints("s", false, session)),
        c -> 1_000, NOW, new RetentionPolicy(1, DAY, 1));

    // then
    assertThat(ids(plan.kept())).containsExactly("p1", "p3");
    assertThat(plan.bytesAfter()).isEqualTo(2_000);
  }

  @Test
  void oldPreRollbackOfAnEndedSessionIsDeletedByAge() {
    // given
    List<Checkpoint> session = session("s", preAt(1, NOW.minusMillis(2 * DAY)), user(2, 10));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, false, NOW, new RetentionPolicy(10, DAY, UNLIMITED));

    // then
    assertThat(plan.deletedIds("s")).containsExactly("p1");
    assertThat(plan.deletions().get(0).reason()).isEqualTo(RetentionReason.AGE);
  }

  @Test
  void newestPreRollbackOfALiveSessionIsKeptWhateverItsAge() {
    // given: two old PRE_ROLLBACKs, the session still runs
    List<Checkpoint> session = session("s", preAt(1, NOW.minusMillis(5 * DAY)), preAt(2, NOW.minusMillis(4 * DAY)),
        userAt(3, NOW.minusMillis(3 * DAY)), user(4, 10));

    // when
    RetentionPlan plan = RetentionPlanner.plan(session, true, NOW, new RetentionPolicy(1, DAY, UNLIMITED));

    // then: undo still has something to restore
    assertThat(ids(plan.kept())).containsExactly("p2", "u4");
    assertThat(RetentionPlanner.protectedIds(session, true, NOW, new RetentionPolicy(1, DAY, UNLIMITED)))
        .containsExactlyInAnyOrder("p2", "u4");
    assertThat(RetentionPlanner.protectedIds(session, false, NOW, new RetentionPolicy(1, DAY, UNLIMITED))).isEmpty();
  }

  @Test
  void sizeRuleDeletesTheOldestOfAllSessionsOfTheRepositoryUntilItFits() {
    // given: two sessions interleaved in time, 100 bytes each, 350 allowed
    List<Checkpoint> a = session("a", user(1, 80), user(3, 60), user(5, 40), user(7, 20));
    List<Checkpoint> b = session("b", user(2, 70), user(4, 50), user(6, 30));

    // when
    RetentionPlan plan = RetentionPlanner.plan(
        List.of(new SessionCheckpoints("a", true, a), new SessionCheckpoints("b", true, b)),
        c -> 100, NOW, new RetentionPolicy(100, DAY, 350));

    // then: the four oldest across both sessions go, oldest first
    assertThat(plan.deletions()).extracting(d -> d.checkpoint().sessionId() + "/" + d.checkpoint().checkpointId())
        .containsExactly("a/u1", "b/u2", "a/u3", "b/u4");
    assertThat(plan.deletions()).allMatch(d -> d.reason() == RetentionReason.SIZE && d.sizeBytes() == 100);
    assertThat(plan.bytesBefore()).isEqualTo(700);
    assertThat(plan.bytesAfter()).isEqualTo(300);
  }

  @Test
  void sizeRuleCountsWhatCountAndAgeAlreadyDeleted() {
    // given: the count rule removes 200 bytes of 500
    List<Checkpoint> a = session("a", user(1, 50), user(2, 40), user(3, 30), user(4, 20), user(5, 10));

    // when
    RetentionPlan plan = RetentionPlanner.plan(List.of(new SessionCheckpoints("a", true, a)),
        c -> 100, NOW, new RetentionPolicy(3, DAY, 250));

    // then
    assertThat(plan.deletions()).extracting(RetentionDeletion::reason)
        .containsExactly(RetentionReason.COUNT, RetentionReason.COUNT, RetentionReason.SIZE);
    assertThat(ids(plan.kept())).containsExactly("u4", "u5");
  }

  @Test
  void sizeRuleLeavesCheckpointsThatHoldNothingAndStopsAtProtectedOnes() {
    // given: the newest is large and protected, an older one holds nothing
    List<Checkpoint> a = session("a", user(1, 30), user(2, 20), user(3, 10));
    Map<String, Long> sizes = Map.of("u1", 0L, "u2", 50L, "u3", 500L);

    // when
    RetentionPlan plan = RetentionPlanner.plan(List.of(new SessionCheckpoints("a", true, a)),
        c -> sizes.get(c.checkpointId()), NOW, new RetentionPolicy(100, DAY, 100));

    // then: still above the limit, which the plan shows
    assertThat(plan.deletedIds("a")).containsExactly("u2");
    assertThat(plan.bytesAfter()).isEqualTo(500);
  }

  @Test
  void noSizeLimitMeansSizesAreNeverAsked() {
    // given
    AtomicInteger asked = new AtomicInteger();
    List<Checkpoint> a = session("a", user(1, 30), user(2, 20));

    // when
    RetentionPlan plan = RetentionPlanner.plan(List.of(new SessionCheckpoints("a", true, a)),
        c -> asked.incrementAndGet(), NOW, new RetentionPolicy(100, DAY, UNLIMITED));

    // then
    assertThat(asked).hasValue(0);
    assertThat(plan.deletions()).isEmpty();
  }

  @Test
  void emptySessionHasNothingToDelete() {
    // when
    RetentionPlan plan = RetentionPlanner.plan(List.of(), true, NOW, new RetentionPolicy(1, 0, 1));

    // then
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.kept()).isEmpty();
  }

  @Test
  void policyRejectsValuesOutOfRange() {
    assertThatThrownBy(() -> new RetentionPolicy(0, DAY, 0)).hasMessageContaining("maxCheckpoints");
    assertThatThrownBy(() -> new RetentionPolicy(1, -1, 0)).hasMessageContaining("retentionMs");
    assertThatThrownBy(() -> new RetentionPolicy(1, DAY, -1)).hasMessageContaining("maxTotalBytes");
  }

  // --- made-up checkpoints; `minutesAgo` before NOW ---

  private record Spec(String id, CheckpointType type, Instant createdAt) {
  }

  private static Spec user(int n, int minutesAgo) {
    return userAt(n, NOW.minus(Duration.ofMinutes(minutesAgo)));
  }

  private static Spec userAt(int n, Instant at) {
    return new Spec("u" + n, CheckpointType.USER_REQUESTED, at);
  }

  private static Spec pre(int n, int minutesAgo) {
    return preAt(n, NOW.minus(Duration.ofMinutes(minutesAgo)));
  }

  private static Spec preAt(int n, Instant at) {
    return new Spec("p" + n, CheckpointType.PRE_ROLLBACK, at);
  }

  private static List<Checkpoint> session(String sessionId, Spec... specs) {
    List<Checkpoint> result = new ArrayList<>();
    long seq = 1;
    for (Spec s : specs) {
      result.add(new Checkpoint(sessionId, s.id(), seq++, s.type(), null, "pi-" + sessionId, null, "base",
          "snap-" + sessionId + "-" + s.id(), "main", s.createdAt(), Map.of(), List.of(), "hash"));
    }
    return result;
  }

  private static List<String> ids(List<Checkpoint> checkpoints) {
    return checkpoints.stream().map(Checkpoint::checkpointId).toList();
  }
}
