package io.cortex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opening a session when a process with phases starts: every bad start fails with a message
 * that says what is wrong, in the start's transaction, so no process instance, catalogue row or
 * checkpoint ref is left behind. Covers both the plain Camunda start (the listener's checks) and
 * the Java API.
 */
class SessionStartTest {

  private static final String TDD = Workflow.TDD.processKey();

  @TempDir
  Path temp;

  private Cortex cortex;
  private ProcessEngine engine;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    cortex = TestEngines.cortex();
    engine = cortex.engine();
    repo = TempRepo.init(temp);
    repo.write("src/App.java", "class App {}\n").commitAll("initial");
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  // --- started the plain Camunda way (Tasklist, REST, another service) ---

  @Test
  void startWithoutBusinessKeyFailsAskingForTheSessionId() {
    // when
    Throwable failure = catchThrowable(() ->
        engine.getRuntimeService().startProcessInstanceByKey(TDD, Map.of("repositoryPath", repo.dir().toString())));

    // then
    assertThat(cortexCause(failure)).hasMessageContaining(TDD).hasMessageContaining("business key")
        .hasMessageContaining("session id");
    assertNothingLeftBehind();
  }

  @Test
  void startWithEmptyBusinessKeyFailsAskingForTheSessionId() {
    // when
    Throwable failure = catchThrowable(() ->
        engine.getRuntimeService().startProcessInstanceByKey(TDD, "", Map.of("repositoryPath", repo.dir().toString())));

    // then
    assertThat(cortexCause(failure)).hasMessageContaining("business key");
    assertNothingLeftBehind();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a..b", "x.lock", "has space", "-leading-dash", "ends.", "a/b"})
  void startWithInvalidBusinessKeyFailsNamingTheKeyAndTheRule(String businessKey) {
    // when
    Throwable failure = catchThrowable(() -> engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, businessKey, Map.of("repositoryPath", repo.dir().toString())));

    // then
    assertThat(cortexCause(failure)).hasMessageContaining("Invalid session id")
        .hasMessageContaining("'" + businessKey + "'");
    assertNothingLeftBehind();
  }

  @Test
  void startWithoutRepositoryPathFailsNamingTheVariable() {
    // when
    Throwable failure = catchThrowable(() -> engine.getRuntimeService().startProcessInstanceByKey(TDD, "no-repo-001"));

    // then
    assertThat(cortexCause(failure)).hasMessageContaining("repositoryPath").hasMessageContaining("not set");
    assertNothingLeftBehind();
  }

  @Test
  void startWithBlankOrNonTextRepositoryPathFailsNamingTheVariable() {
    // when
    Throwable blank = catchThrowable(() -> engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, "blank-repo-001", Map.of("repositoryPath", "  ")));
    Throwable number = catchThrowable(() -> engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, "number-repo-001", Map.of("repositoryPath", 42)));

    // then
    assertThat(cortexCause(blank)).hasMessageContaining("repositoryPath");
    assertThat(cortexCause(number)).hasMessageContaining("repositoryPath").hasMessageContaining("not a text");
    assertNothingLeftBehind();
  }

  @Test
  void startOnAFolderThatIsNotAGitRepositoryFailsNamingThePath() throws Exception {
    // given
    Path plain = Files.createDirectory(temp.resolve("plain-folder"));
    Files.writeString(plain.resolve("file.txt"), "not versioned\n");

    // when
    Throwable failure = catchThrowable(() -> engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, "plain-001", Map.of("repositoryPath", plain.toString())));

    // then
    assertThat(cortexCause(failure)).hasMessageContaining("Not a git repository")
        .hasMessageContaining(plain.toAbsolutePath().normalize().toString());
    assertNothingLeftBehind();
    assertThat(plain.resolve(".git")).as("Cortex must not create a repository").doesNotExist();
  }

  @Test
  void startOnAMissingFolderOrASubfolderOfARepositoryFails() throws Exception {
    // given
    Path missing = temp.resolve("does-not-exist");
    Path subfolder = repo.dir().resolve("src");

    // when
    Throwable missingFailure = catchThrowable(() -> engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, "missing-001", Map.of("repositoryPath", missing.toString())));
    Throwable subfolderFailure = catchThrowable(() -> engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, "subfolder-001", Map.of("repositoryPath", subfolder.toString())));

    // then
    assertThat(cortexCause(missingFailure)).hasMessageContaining("Not a git repository").hasMessageContaining("no such directory");
    assertThat(cortexCause(subfolderFailure)).hasMessageContaining("Not a git repository").hasMessageContaining(".git");
    assertThat(missing).doesNotExist();
    assertNothingLeftBehind();
  }

  @Test
  void plainCamundaStartWithValidKeyAndRepositoryOpensTheSession() {
    // when
    ProcessInstance instance = engine.getRuntimeService()
        .startProcessInstanceByKey(TDD, "plain-start-001", Map.of("repositoryPath", repo.dir().toString()));

    // then
    assertThat(cortex.session("plain-start-001").processInstanceId()).isEqualTo(instance.getId());
    assertThat(cortex.session("plain-start-001").repository()).isEqualTo(repo.dir().toAbsolutePath().normalize());
    assertThat(cortex.checkpoints("plain-start-001")).extracting(Checkpoint::checkpointId).containsExactly("session-start");
    assertThat(cortexRefs()).containsExactly("refs/cortex/checkpoints/plain-start-001/session-start");
  }

  // --- started through the Java API ---

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a..b", "x.lock", "has space", ""})
  void apiStartWithInvalidSessionIdFailsBeforeAnythingHappens(String sessionId) {
    // when
    Throwable failure = catchThrowable(() -> cortex.startSession(Workflow.TDD, sessionId, repo.dir()));

    // then
    assertThat(failure).isInstanceOf(CortexException.class).hasMessageContaining("Invalid session id");
    if (!sessionId.isEmpty()) {
      assertThat(failure).hasMessageContaining("'" + sessionId + "'");
    } else {
      assertThat(failure).hasMessageContaining("empty");
    }
    assertNothingLeftBehind();
  }

  @Test
  void apiStartOnAFolderThatIsNotAGitRepositoryFailsNamingThePath() throws Exception {
    // given
    Path plain = Files.createDirectory(temp.resolve("plain-api"));

    // when
    Throwable failure = catchThrowable(() -> cortex.startSession(Workflow.TDD, "api-plain-001", plain));

    // then
    assertThat(failure).isInstanceOf(CortexException.class).hasMessageContaining("Not a git repository")
        .hasMessageContaining(plain.toAbsolutePath().normalize().toString());
    assertNothingLeftBehind();
  }

  @Test
  void secondSessionWithAnExistingIdFailsNamingTheExistingSessionAndLeavesItAlone() {
    // given
    cortex.startSession(Workflow.TDD, "dup-001", repo.dir());
    String firstInstance = cortex.session("dup-001").processInstanceId();
    TempRepo other = TempRepo.init(temp);
    other.write("b.txt", "b\n").commitAll("other");

    // when: same id, even for another workflow on another repository
    Throwable failure = catchThrowable(() -> cortex.startSession(Workflow.PLANNING, "dup-001", other.dir()));

    // then
    assertThat(failure).isInstanceOf(CortexException.class).hasMessageContaining("dup-001")
        .hasMessageContaining("exists already").hasMessageContaining(firstInstance)
        .hasMessageContaining(repo.dir().toAbsolutePath().normalize().toString());
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isEqualTo(1);
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().singleResult().getId()).isEqualTo(firstInstance);
    assertThat(cortex.sessions()).hasSize(1);
    assertThat(cortex.session("dup-001").processDefinitionKey()).isEqualTo(TDD);
    assertThat(cortex.checkpoints("dup-001")).extracting(Checkpoint::checkpointId).containsExactly("session-start");
    assertThat(other.git("for-each-ref", "refs/cortex")).isEmpty();
    assertThat(cortexRefs()).containsExactly("refs/cortex/checkpoints/dup-001/session-start");
  }

  @Test
  void secondSessionWithAnExistingIdFailsAlsoWhenStartedThePlainCamundaWay() {
    // given
    cortex.startSession(Workflow.TDD, "dup-002", repo.dir());
    List<String> refsBefore = cortexRefs();

    // when
    Map<String, Object> variables = new HashMap<>();
    variables.put("repositoryPath", repo.dir().toString());
    Throwable failure = catchThrowable(() -> engine.getRuntimeService().startProcessInstanceByKey(TDD, "dup-002", variables));

    // then
    assertThat(cortexCause(failure)).hasMessageContaining("dup-002").hasMessageContaining("exists already");
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isEqualTo(1);
    assertThat(cortex.checkpoints("dup-002")).hasSize(1);
    assertThat(cortexRefs()).isEqualTo(refsBefore);
  }

  /*
   * Regression test for a fixed bug (CortexSqlSession now rolls Cortex rows back with the engine): SessionStartListener inserts the session row before it
   * takes the session-start checkpoint. When the checkpoint fails, Camunda rolls the start back,
   * but the catalogue row is committed anyway (plain JDBC on the MyBatis connection: MyBatis skips
   * the rollback of a non-dirty session and JdbcTransaction.close() -> setAutoCommit(true) commits
   * it). The session then exists without a process instance and its id cannot be used again.
   */
  @Test
  void startThatFailsWhileTakingTheSessionStartCheckpointLeavesNoSessionAndTheIdCanBeUsedAgain() throws Exception {
    // given: a file where git must create the refs/cortex folder, so writing the checkpoint ref fails
    Path obstacle = repo.dir().resolve(".git/refs/cortex");
    Files.writeString(obstacle, "in the way\n");

    // when
    Throwable failure = catchThrowable(() -> cortex.startSession(Workflow.TDD, "blocked-001", repo.dir()));

    // then
    assertThat(failure).isInstanceOf(CortexException.class)
        .hasMessageContaining("refs/cortex/checkpoints/blocked-001/session-start");
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).as("process instances").isZero();
    assertThat(cortex.sessions()).as("regression: session row of the rolled-back start").isEmpty();

    // when: the obstacle is gone, the same session id starts normally
    Files.delete(obstacle);
    assertNothingLeftBehind();
    cortex.startSession(Workflow.TDD, "blocked-001", repo.dir());

    // then
    assertThat(cortex.checkpoints("blocked-001")).extracting(Checkpoint::checkpointId).containsExactly("session-start");
  }

  // --- helpers ---

  private void assertNothingLeftBehind() {
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).as("process instances").isZero();
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().count()).as("historic instances").isZero();
    assertThat(cortex.sessions()).as("sessions").isEmpty();
    assertThat(repo.git("for-each-ref", "refs/cortex")).as("checkpoint refs").isEmpty();
  }

  private List<String> cortexRefs() {
    return repo.git("for-each-ref", "--format=%(refname)", "refs/cortex/").lines().toList();
  }

  /** The Cortex exception behind a failed engine call (the engine may or may not wrap it). */
  private static CortexException cortexCause(Throwable failure) {
    assertThat(failure).as("the start must fail").isNotNull();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CortexException cortexException) {
        return cortexException;
      }
    }
    throw new AssertionError("no CortexException in the cause chain", failure);
  }
}
