package io.cortex.recovery;

import static io.cortex.recovery.RecoveryFixtures.instanceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.cortex.Cortex;
import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import io.cortex.engine.CortexVariables;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.bpmn.parser.DefaultFailedJobParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.FailedJobRetryConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Technical failures of the async steps are retried by the engine itself with the intervals of
 * {@code recovery.retry} (3 attempts, 1 s doubling: {@code PT1S,PT2S}), and end as a
 * {@code failedJob} incident that Cockpit shows. Processes without Cortex phases keep the engine's
 * default retry behaviour.
 */
class RetryAndIncidentTest {

  private static final String YAML = """
      recovery:
        retry: {maxAttempts: 3, initialDelayMs: 1000, backoffMultiplier: 2}
      gates:
        workflows:
          cortex-tdd:
            RED: {command: "true", expect: PASS}
      """;

  @TempDir
  static Path temp;

  private static Cortex cortex;
  private static ProcessEngine engine;

  @BeforeAll
  static void startEngine() {
    CortexConfig config = ConfigLoader.parse(YAML, "test");
    cortex = TestEngines.cortex(config);
    engine = cortex.engine();
    BpmnAwareTests.init(engine);
  }

  @AfterAll
  static void stopEngine() {
    BpmnAwareTests.reset();
    engine.close();
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  // --- retry configuration on the deployed definitions ---

  static Stream<Arguments> asyncCortexActivities() {
    return Stream.of(
        arguments("cortex-planning", "Task_VerifyDor"),
        arguments("cortex-planning", "Task_VerifyImplementation"),
        arguments("cortex-planning", "Task_VerifyDod"),
        arguments("cortex-tdd", "Task_VerifyRed"),
        arguments("cortex-tdd", "Task_VerifyGreen"),
        arguments("cortex-tdd", "Task_VerifyRefactor"),
        arguments("cortex-system-alignment", "Task_VerifyDiscovery"),
        arguments("cortex-system-alignment", "Task_VerifyValidation"),
        arguments("cortex-recovery", "Task_Immediate"),
        arguments("cortex-recovery", "Task_Progressive"),
        arguments("cortex-recovery", "Task_Decompose"),
        arguments("cortex-recovery", "Task_RecoveryPoint"),
        arguments("cortex-recovery", "Task_OperatorRollback"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("asyncCortexActivities")
  void asyncStepsOfCortexProcessesGetTheRetryCycleComputedFromTheYaml(String processKey, String activityId) {
    // given / when: the engine deployed the workflows with the configuration's retry policy

    // then
    FailedJobRetryConfiguration retry = failedJobConfiguration(processKey, activityId);
    assertThat(retry).as("FAILED_JOB_CONFIGURATION of %s in %s", activityId, processKey).isNotNull();
    assertThat(retry.getExpression()).isNotNull();
    assertThat(retry.getExpression().getExpressionText()).isEqualTo("PT1S,PT2S");
  }

  @Test
  void synchronousStepsOfCortexProcessesGetNoRetryCycle() {
    // given / when: deployed workflows

    // then: their failures roll back the caller's transaction; there is no job to retry
    assertThat(failedJobConfiguration("cortex-tdd", "Task_CompleteGreen")).isNull();
    assertThat(failedJobConfiguration("cortex-recovery", "Task_ChooseStrategy")).isNull();
    assertThat(failedJobConfiguration("cortex-recovery", "Task_OperatorDecision")).isNull();
  }

  @Test
  void aThirdPartyProcessWithoutPhasesKeepsTheEngineDefaultRetries() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("third-party-billing").camundaHistoryTimeToLive(1)
        .startEvent()
        .serviceTask("Task_Charge").camundaAsyncBefore().camundaExpression("${billingService.charge()}")
        .endEvent()
        .done();
    engine.getRepositoryService().createDeployment().addModelInstance("third-party-billing.bpmn", model).deploy();

    // when / then: Cortex adds no retry cycle
    assertThat(failedJobConfiguration("third-party-billing", "Task_Charge")).isNull();

    // when: its job fails
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("third-party-billing");
    Job job = jobOf(instance);
    assertThat(job.getRetries()).isEqualTo(3);
    assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId())).hasMessageContaining("billingService");

    // then: the engine's default, 3 retries and no wait pushed onto the due date
    Job failed = jobOf(instance);
    assertThat(failed.getRetries()).isEqualTo(2);
    assertThat(failed.getDuedate()).isEqualTo(job.getDuedate());
  }

  @Test
  void aDesignersProcessWithPhasesGetsTheRetryCycleButAnExplicitCycleInTheBpmnWins() {
    // given
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Review"
            targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="designer-review" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="StartEvent_Review" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Review" targetRef="SubProcess_Review" />
            <bpmn:subProcess id="SubProcess_Review">
              <bpmn:extensionElements>
                <camunda:properties><camunda:property name="cortex.phase" value="Review" /></camunda:properties>
              </bpmn:extensionElements>
              <bpmn:startEvent id="StartEvent_Inner" />
              <bpmn:sequenceFlow id="Flow_2" sourceRef="StartEvent_Inner" targetRef="Task_Lint" />
              <bpmn:serviceTask id="Task_Lint" camunda:asyncBefore="true" camunda:expression="${true}" />
              <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Lint" targetRef="Task_Publish" />
              <bpmn:serviceTask id="Task_Publish" camunda:asyncBefore="true" camunda:expression="${true}">
                <bpmn:extensionElements>
                  <camunda:failedJobRetryTimeCycle>R5/PT5M</camunda:failedJobRetryTimeCycle>
                </bpmn:extensionElements>
              </bpmn:serviceTask>
              <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_Publish" targetRef="EndEvent_Inner" />
              <bpmn:endEvent id="EndEvent_Inner" />
            </bpmn:subProcess>
            <bpmn:sequenceFlow id="Flow_5" sourceRef="SubProcess_Review" targetRef="EndEvent_Review" />
            <bpmn:endEvent id="EndEvent_Review" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    // when
    engine.getRepositoryService().createDeployment().addString("designer-review.bpmn", xml).deploy();

    // then
    assertThat(cycleOf(failedJobConfiguration("designer-review", "Task_Lint"))).isEqualTo("PT1S,PT2S");
    assertThat(cycleOf(failedJobConfiguration("designer-review", "Task_Publish"))).isEqualTo("R5/PT5M");
  }

  // --- behaviour ---

  @Test
  void aVerifyJobThatFailsTechnicallyIsRetriedAfter1sAnd2sAndThenBecomesAFailedJobIncident() throws Exception {
    // given: a TDD session whose repository path no longer exists, so the RED gate cannot start
    TempRepo repo = TempRepo.init(temp);
    repo.write("src/App.java", "class App {}\n").commitAll("initial");
    String session = "retry-verify-001";
    cortex.startSession(Workflow.TDD, session, repo.dir());
    ProcessInstance instance = instanceOf(cortex, session);
    Path gone = Files.createTempDirectory(temp, "gone");
    Files.delete(gone);
    engine.getRuntimeService().setVariable(instance.getId(), CortexVariables.REPOSITORY_PATH, gone.toString());

    Date t0 = Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    ClockUtil.setCurrentTime(t0);
    Task red = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId())
        .taskDefinitionKey("Task_CompleteRed").singleResult();
    engine.getTaskService().complete(red.getId());   // the Verify RED job waits; no job is run yet
    ManagementService management = engine.getManagementService();
    Job job = verifyJob(instance);
    assertThat(job.getRetries()).isEqualTo(3);

    // when: first execution
    assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("Not a git repository");

    // then: 2 retries left, due 1 s later
    Job afterFirst = verifyJob(instance);
    assertThat(afterFirst.getRetries()).isEqualTo(2);
    assertThat(afterFirst.getDuedate()).isEqualTo(plusMillis(t0, 1000));
    assertThat(afterFirst.getExceptionMessage()).contains("Not a git repository").contains(gone.toString());
    assertThat(management.createJobQuery().processInstanceId(instance.getId()).executable().count())
        .as("not due before its due date").isZero();

    // when: second execution, when due
    Date t1 = plusMillis(t0, 1000);
    ClockUtil.setCurrentTime(t1);
    assertThat(management.createJobQuery().jobId(job.getId()).executable().count()).isEqualTo(1);
    assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("Not a git repository");

    // then: 1 retry left, due 2 s later
    Job afterSecond = verifyJob(instance);
    assertThat(afterSecond.getRetries()).isEqualTo(1);
    assertThat(afterSecond.getDuedate()).isEqualTo(plusMillis(t1, 2000));
    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance.getId()).count()).isZero();

    // when: third execution, when due
    Date t2 = plusMillis(t1, 2000);
    ClockUtil.setCurrentTime(t2);
    assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("Not a git repository");

    // then: no retries left, an incident for Cockpit
    assertThat(instance).job("Task_VerifyRed").hasRetries(0);
    List<Incident> incidents = engine.getRuntimeService().createIncidentQuery().processInstanceId(instance.getId()).list();
    assertThat(incidents).singleElement().satisfies(incident -> {
      assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE).isEqualTo("failedJob");
      assertThat(incident.getActivityId()).isEqualTo("Task_VerifyRed");
      assertThat(incident.getConfiguration()).isEqualTo(job.getId());
      assertThat(incident.getIncidentMessage()).contains("Not a git repository");
    });
    assertThat(engine.getHistoryService().createHistoricJobLogQuery().jobId(job.getId()).failureLog().count())
        .isEqualTo(3);
    assertThat(instance).isNotEnded().hasNotPassed("EndEvent_Red", "Event_RedFailed");
    assertThat(cortex.checkpoints(session)).extracting(c -> c.checkpointId()).containsExactly("session-start");
  }

  @Test
  void withOneAttemptOnlyTheFirstTechnicalFailureIsAlreadyAnIncident() {
    // given: recovery.retry.maxAttempts 1 (no retry intervals at all)
    CortexConfig oneAttempt = ConfigLoader.parse(YAML.replace("maxAttempts: 3", "maxAttempts: 1"), "test");
    Cortex single = TestEngines.cortex(oneAttempt);
    try {
      ProcessEngine singleEngine = single.engine();
      TempRepo repo = TempRepo.init(temp);
      repo.write("src/App.java", "class App {}\n").commitAll("initial");
      single.startSession(Workflow.TDD, "retry-once-001", repo.dir());
      String instanceId = single.session("retry-once-001").processInstanceId();
      singleEngine.getRuntimeService().setVariable(instanceId, CortexVariables.REPOSITORY_PATH,
          temp.resolve("missing-work-tree").toString());
      Task red = singleEngine.getTaskService().createTaskQuery().processInstanceId(instanceId).singleResult();
      singleEngine.getTaskService().complete(red.getId());
      Job job = singleEngine.getManagementService().createJobQuery().processInstanceId(instanceId).singleResult();

      // when
      assertThatThrownBy(() -> singleEngine.getManagementService().executeJob(job.getId()))
          .hasMessageContaining("Not a git repository");

      // then
      Job failed = singleEngine.getManagementService().createJobQuery().jobId(job.getId()).singleResult();
      assertThat(failed.getRetries()).isZero();
      assertThat(singleEngine.getRuntimeService().createIncidentQuery().processInstanceId(instanceId).list())
          .singleElement().satisfies(incident -> {
            assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
            assertThat(incident.getActivityId()).isEqualTo("Task_VerifyRed");
          });
    } finally {
      single.engine().close();
    }
  }

  // --- helpers ---

  private static Job verifyJob(ProcessInstance instance) {
    return engine.getManagementService().createJobQuery().processInstanceId(instance.getId())
        .activityId("Task_VerifyRed").singleResult();
  }

  private static Job jobOf(ProcessInstance instance) {
    return engine.getManagementService().createJobQuery().processInstanceId(instance.getId()).singleResult();
  }

  private static Date plusMillis(Date date, long millis) {
    return new Date(date.getTime() + millis);
  }

  /** The engine's retry configuration of an activity of the latest deployed definition. */
  private static FailedJobRetryConfiguration failedJobConfiguration(String processKey, String activityId) {
    String definitionId = engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(processKey)
        .latestVersion().singleResult().getId();
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    return configuration.getCommandExecutorTxRequired().execute((CommandContext context) -> {
      ActivityImpl activity = configuration.getDeploymentCache().findDeployedProcessDefinitionById(definitionId)
          .findActivity(activityId);
      assertThat(activity).as("activity %s of %s", activityId, processKey).isNotNull();
      return activity.getProperties().get(DefaultFailedJobParseListener.FAILED_JOB_CONFIGURATION);
    });
  }

  /** The cycle as written: the expression text, or the parsed intervals. */
  private static String cycleOf(FailedJobRetryConfiguration configuration) {
    assertThat(configuration).isNotNull();
    return configuration.getExpression() != null ? configuration.getExpression().getExpressionText()
        : String.join(",", configuration.getRetryIntervals());
  }
}
