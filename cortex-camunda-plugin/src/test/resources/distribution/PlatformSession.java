import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.workflow.Workflow;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.container.RuntimeContainerDelegate;
import org.camunda.bpm.container.impl.RuntimeContainerDelegateImpl;
import org.camunda.bpm.container.impl.deployment.AbstractParseBpmPlatformXmlStep;
import org.camunda.bpm.container.impl.deployment.DiscoverBpmPlatformPluginsStep;
import org.camunda.bpm.container.impl.deployment.PlatformXmlStartProcessEnginesStep;
import org.camunda.bpm.container.impl.deployment.StopProcessEnginesStep;
import org.camunda.bpm.container.impl.deployment.UnregisterBpmPlatformPluginsStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StartJobExecutorStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StartManagedThreadPoolStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StopJobExecutorStep;
import org.camunda.bpm.container.impl.deployment.jobexecutor.StopManagedThreadPoolStep;
import org.camunda.bpm.container.impl.spi.DeploymentOperation;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * Runs in a JVM whose class path is a bare Camunda engine (its jars, H2, a logging binding) plus the one
 * cortex-camunda-plugin jar, started by DistributionJarTest with {@code java -cp … PlatformSession.java <repo> <session>}.
 *
 * <p>It brings the BPM platform up from the bpm-platform.xml that {@code -Dbpm.platform.xml} names, with the deployment
 * steps Camunda's Tomcat integration runs at server start (TomcatBpmPlatformBootstrap, minus Tomcat), deploys Cortex's
 * processes as a process application would, runs a Planning session through the API on the engine the platform
 * started, and prints one line per checkpoint: {@code CHECKPOINT <id> <type> <snapshot commit>}.
 */
public class PlatformSession {

  private static final Duration WAIT = Duration.ofSeconds(90);

  public static void main(String[] args) throws Exception {
    Path repository = Path.of(args[0]);
    String session = args[1];
    RuntimeContainerDelegateImpl container = (RuntimeContainerDelegateImpl) RuntimeContainerDelegate.INSTANCE.get();
    container.getServiceContainer().createDeploymentOperation("deploy BPM platform")
        .addStep(new AbstractParseBpmPlatformXmlStep() {
          @Override
          public URL getBpmPlatformXmlStream(DeploymentOperation operation) {
            return lookupBpmPlatformXml(); // JNDI, then BPM_PLATFORM_XML / -Dbpm.platform.xml, then the class path
          }
        })
        .addStep(new DiscoverBpmPlatformPluginsStep())
        .addStep(new StartManagedThreadPoolStep())
        .addStep(new StartJobExecutorStep())
        .addStep(new PlatformXmlStartProcessEnginesStep())
        .execute();
    try {
      ProcessEngine engine = BpmPlatform.getDefaultProcessEngine();
      engine.getRepositoryService().createDeployment().name("cortex").enableDuplicateFiltering(true)
          .addClasspathResource("processes/planning.bpmn")
          .addClasspathResource("processes/recovery.bpmn")
          .addClasspathResource("processes/operator-decision.form")
          .deploy();

      Cortex cortex = Cortex.on(engine);
      cortex.startSession(Workflow.PLANNING, session, repository);
      // The platform's job executor runs the async gates between phases: wait for each phase's task.
      for (String phase : Workflow.PLANNING.phases()) {
        awaitPhase(cortex, session, phase);
        cortex.completePhase(session, phase, Map.of("completedBy", "distribution-test"));
      }
      awaitEnd(cortex, session);
      List<Checkpoint> checkpoints = cortex.checkpoints(session);
      for (Checkpoint checkpoint : checkpoints) {
        System.out.println("CHECKPOINT " + checkpoint.checkpointId() + " " + checkpoint.type() + " "
            + checkpoint.snapshotCommit());
      }
      System.out.println("CONFIG maxCheckpoints=" + cortex.config().checkpoint().maxCheckpoints());
      System.out.println("PLUGIN-FROM " + Cortex.class.getProtectionDomain().getCodeSource().getLocation());
    } finally {
      container.getServiceContainer().createUndeploymentOperation("undeploy BPM platform")
          .addStep(new StopJobExecutorStep())
          .addStep(new StopManagedThreadPoolStep())
          .addStep(new StopProcessEnginesStep())
          .addStep(new UnregisterBpmPlatformPluginsStep())
          .execute();
    }
  }

  private static void awaitPhase(Cortex cortex, String session, String phase) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!cortex.status(session).activePhases().contains(phase)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Session " + session + " never reached phase " + phase + ": "
            + cortex.status(session));
      }
      Thread.sleep(100);
    }
  }

  private static void awaitEnd(Cortex cortex, String session) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (cortex.status(session).running()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Session " + session + " did not end: " + cortex.status(session));
      }
      Thread.sleep(100);
    }
  }
}
