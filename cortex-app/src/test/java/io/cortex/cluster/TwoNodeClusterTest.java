package io.cortex.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.base.Json;
import io.cortex.cli.CortexCli;
import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import io.cortex.engine.CortexVariables;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.rollback.RollbackResult;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camunda's cluster model with Cortex in it: two engine nodes — each its own {@code ProcessEngine} with its own
 * connection pool, built from the CLI's configuration ({@link EmbeddedEngine#configuration}) with a node name of
 * its own — on ONE real PostgreSQL database ({@link TestPostgres}). The repositories are shared: both nodes see
 * them under the same path, the deployment model docs/reliability.md ("Scale-out") chooses.
 *
 * <p>Nodes A and B run without a job executor, as CLI calls do, so which node executes a job is up to the test;
 * {@link #serverNodesWithJobExecutorsShareTheJobs} adds two nodes whose job executors compete for the jobs, as
 * two {@code ./cortex serve} would.
 */
@Tag("slow")
class TwoNodeClusterTest {

  @TempDir
  static Path root;

  private static TestPostgres.Database database;
  private static Path configFile;
  private static CortexConfig config;
  private static Node a;
  private static Node b;

  /** One engine node: its engine, and the Cortex API on it acting for a user of that node. */
  record Node(String name, ProcessEngine engine, Cortex cortex) {
    void close() {
      engine.close();
    }
  }

  @BeforeAll
  static void startCluster() throws IOException {
    database = TestPostgres.freshDatabase("cortex_cluster");
    configFile = root.resolve("cortex.yaml");
    Files.writeString(configFile, database.yaml() + """
        gates:
          workflows:
            cortex-tdd:
              RED: { command: "grep -q 'failing test' spec.txt", expect: PASS }
        """);
    config = ConfigLoader.load(configFile);
    // one after the other: the first node creates the Camunda and Cortex tables, the second finds them
    a = node("node-a", false);
    b = node("node-b", false);
  }

  @AfterAll
  static void stopCluster() {
    for (Node node : new Node[] {a, b}) {
      if (node != null) {
        node.close();
      }
    }
    if (database != null) {
      database.drop();
    }
  }

  private static Node node(String name, boolean jobExecutor) {
    StandaloneProcessEngineConfiguration configuration = EmbeddedEngine.configuration(config, root.resolve("data-" + name));
    configuration.setProcessEngineName("cluster-" + name);
    configuration.setHostname(name); // the job log names the node that ran each job
    if (jobExecutor) {
      DefaultJobExecutor executor = new DefaultJobExecutor();
      executor.setWaitTimeInMillis(50);
      executor.setMaxWait(250);
      executor.setLockTimeInMillis(60_000);
      configuration.setJobExecutor(executor);
      configuration.setJobExecutorActivate(true);
    }
    ProcessEngine engine = configuration.buildProcessEngine();
    EmbeddedEngine.deployWorkflows(engine);
    return new Node(name, engine, Cortex.on(engine).withActor("dev@" + name));
  }

  @Test
  void bothNodesAreOneCamundaClusterOnPostgres() {
    for (Node node : List.of(a, b)) {
      ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) node.engine().getProcessEngineConfiguration();
      assertThat(configuration.getDatabaseType()).as(node.name()).isEqualTo("postgres");
      assertThat(configuration.getJdbcUrl()).as(node.name()).isEqualTo(database.url());
      // node B's deployment of the same workflows was filtered out as a duplicate: one deployment for the cluster
      assertThat(node.engine().getRepositoryService().createDeploymentQuery().deploymentName("cortex-workflows").count())
          .as(node.name()).isEqualTo(1);
    }
    assertThat(b.engine().getRepositoryService().createProcessDefinitionQuery().latestVersion().list())
        .extracting(d -> d.getId())
        .containsExactlyInAnyOrderElementsOf(a.engine().getRepositoryService().createProcessDefinitionQuery()
            .latestVersion().list().stream().map(d -> d.getId()).toList());
  }

  @Test
  void sessionsStartedOnEitherNodeShareOneCatalogue() {
    TempRepo repoA = TempRepo.init(root).write("README.md", "# a\n").commitAll("init");
    TempRepo repoB = TempRepo.init(root).write("README.md", "# b\n").commitAll("init");

    a.cortex().startSession(Workflow.PLANNING, "cluster-on-a", repoA.dir());
    b.cortex().startSession(Workflow.PLANNING, "cluster-on-b", repoB.dir());
    repoA.write("requirements.md", "- login\n");
    a.cortex().completePhase("cluster-on-a", "DoR", Map.of("requirements_validated", true));
    repoB.write("requirements.md", "- search\n");
    b.cortex().completePhase("cluster-on-b", "DoR", Map.of("requirements_validated", true));
    // a phase of A's session completed through B
    repoA.write("src/Login.java", "class Login {}\n");
    b.cortex().completePhase("cluster-on-a", "Implementation", Map.of("files", 1));

    for (String session : List.of("cluster-on-a", "cluster-on-b")) {
      assertThat(b.cortex().checkpoints(session)).as(session).isEqualTo(a.cortex().checkpoints(session));
      assertThat(b.cortex().status(session)).as(session).isEqualTo(a.cortex().status(session));
    }
    assertThat(ids(a.cortex().checkpoints("cluster-on-a"))).containsExactly("session-start", "dor-1", "implementation-1");
    assertThat(ids(b.cortex().checkpoints("cluster-on-b"))).containsExactly("session-start", "dor-1");
    assertThat(a.cortex().status("cluster-on-a").activePhases()).containsExactly("DoD");
    assertThat(a.cortex().sessions()).extracting(s -> s.sessionId()).contains("cluster-on-a", "cluster-on-b");
    assertThat(b.cortex().sessions()).isEqualTo(a.cortex().sessions());
    assertThat(repoA.git("show", checkpoint(b, "cluster-on-a", "implementation-1").snapshotCommit() + ":src/Login.java"))
        .isEqualTo("class Login {}\n");
    assertRowsMatchRefs(repoA, "cluster-on-a");
    assertRowsMatchRefs(repoB, "cluster-on-b");
  }

  @Test
  void rollbackThroughTheOtherNodeAndUndoFromTheFirst() {
    // given: a session started and worked on through node A
    TempRepo repo = TempRepo.init(root).write("README.md", "# app\n").commitAll("init");
    a.cortex().startSession(Workflow.PLANNING, "cluster-rollback", repo.dir());
    repo.write("requirements.md", "- login\n");
    a.cortex().completePhase("cluster-rollback", "DoR", Map.of("requirements_validated", true));
    String dorTree = repo.nativeSnapshotTree();
    Checkpoint dor = checkpoint(a, "cluster-rollback", "dor-1");
    repo.write("src/Login.java", "class Login { /* v1 */ }\n").commitAll("login v1");
    repo.write("src/Login.java", "class Login { /* v2, broken */ }\n").write("notes.txt", "uncommitted\n");
    String brokenTree = repo.nativeSnapshotTree();
    String brokenHead = repo.git("rev-parse", "HEAD").strip();

    // when: node B rolls it back to dor-1
    RollbackResult rollback = b.cortex().rollback("cluster-rollback", "dor-1", true);

    // then: the repository is at dor-1, and what was on disk is in the PRE_ROLLBACK checkpoint both nodes list
    assertThat(repo.nativeSnapshotTree()).isEqualTo(dorTree);
    assertThat(repo.git("rev-parse", "HEAD").strip()).isEqualTo(dor.baseCommit());
    assertThat(repo.dir().resolve("src/Login.java")).doesNotExist();
    assertThat(rollback.preRollback().type()).isEqualTo(CheckpointType.PRE_ROLLBACK);
    assertThat(a.cortex().checkpoints("cluster-rollback")).contains(rollback.preRollback());
    assertThat(repo.git("show", rollback.preRollback().snapshotCommit() + ":notes.txt")).isEqualTo("uncommitted\n");
    assertRowsMatchRefs(repo, "cluster-rollback");

    // when: node A undoes it
    RollbackResult undo = a.cortex().undo("cluster-rollback", true);

    // then: back to the broken state, uncommitted file included
    assertThat(undo.undo()).isTrue();
    assertThat(undo.target()).isEqualTo(rollback.preRollback());
    assertThat(repo.nativeSnapshotTree()).isEqualTo(brokenTree);
    assertThat(repo.git("rev-parse", "HEAD").strip()).isEqualTo(brokenHead);
    assertThat(repo.read("notes.txt")).isEqualTo("uncommitted\n");
    assertThat(b.cortex().checkpoints("cluster-rollback")).isEqualTo(a.cortex().checkpoints("cluster-rollback"));
    assertRowsMatchRefs(repo, "cluster-rollback");

    // and: one audit log, the same from both nodes, naming who did what where
    List<AuditEntry> fromA = a.cortex().audit("cluster-rollback", 1000);
    assertThat(b.cortex().audit("cluster-rollback", 1000)).isEqualTo(fromA);
    assertThat(fromA).filteredOn(e -> e.action() == AuditAction.ROLLBACK_COMPLETED).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("dev@node-b"));
    assertThat(fromA).filteredOn(e -> e.action() == AuditAction.UNDO_COMPLETED).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("dev@node-a"));
    assertThat(b.cortex().audit(null, 100_000)).isEqualTo(a.cortex().audit(null, 100_000));
  }

  @Test
  void aJobCreatedOnOneNodeRunsOnTheOther() {
    // given: a TDD session on node A, whose RED gate checks the working tree
    TempRepo repo = TempRepo.init(root).write("README.md", "# calc\n").commitAll("init");
    a.cortex().startSession(Workflow.TDD, "cluster-job", repo.dir());
    repo.write("spec.txt", "a failing test\n");
    String instance = a.cortex().session("cluster-job").processInstanceId();

    // when: RED's task is completed on node A (the engine leaves "Verify RED" to a job) ...
    Task red = a.engine().getTaskService().createTaskQuery().processInstanceId(instance)
        .taskDefinitionKey("Task_CompleteRed").singleResult();
    a.engine().getTaskService().complete(red.getId(), Map.of(CortexVariables.METRICS, Json.write(Map.of("tests_failing", 1))));
    List<Job> jobs = a.engine().getManagementService().createJobQuery().processInstanceId(instance).list();
    assertThat(jobs).hasSize(1);
    assertThat(ids(b.cortex().checkpoints("cluster-job"))).containsExactly("session-start");
    // ... and node B executes it, as B's job executor would
    b.cortex().driveJobs();

    // then: the gate ran on node B in the repository, and the phase's checkpoint is there for both nodes
    HistoricJobLog ran = a.engine().getHistoryService().createHistoricJobLogQuery().jobId(jobs.get(0).getId())
        .successLog().singleResult();
    assertThat(ran.getHostname()).isEqualTo("node-b");
    Checkpoint red1 = checkpoint(a, "cluster-job", "red-1");
    assertThat(red1.metrics()).containsEntry("gate_passed", true).containsEntry("gate_exit_code", 0)
        .containsEntry("tests_failing", 1);
    assertThat(repo.git("show", red1.snapshotCommit() + ":spec.txt")).isEqualTo("a failing test\n");
    assertThat(a.cortex().status("cluster-job").activePhases()).containsExactly("GREEN");
    assertRowsMatchRefs(repo, "cluster-job");
  }

  @Test
  void aNodeWithoutTheRepositoryChangesNothingAndTheJobIsRetriedWhereItIs() throws IOException {
    // given: a gate job of a session whose repository node B cannot see (its mount is missing)
    TempRepo repo = TempRepo.init(root).write("README.md", "# mount\n").commitAll("init");
    a.cortex().startSession(Workflow.TDD, "cluster-unmounted", repo.dir());
    repo.write("spec.txt", "a failing test\n");
    String instance = a.cortex().session("cluster-unmounted").processInstanceId();
    Task red = a.engine().getTaskService().createTaskQuery().processInstanceId(instance)
        .taskDefinitionKey("Task_CompleteRed").singleResult();
    a.engine().getTaskService().complete(red.getId(), Map.of(CortexVariables.METRICS, Json.write(Map.of())));
    Job job = a.engine().getManagementService().createJobQuery().processInstanceId(instance).singleResult();
    List<AuditEntry> auditBefore = a.cortex().audit("cluster-unmounted", 1000);
    Path away = repo.dir().resolveSibling(repo.dir().getFileName() + ".elsewhere");
    Files.move(repo.dir(), away);

    // when: node B picks the job up
    Throwable failure = null;
    try {
      b.engine().getManagementService().executeJob(job.getId());
    } catch (RuntimeException e) {
      failure = e;
    }

    // then: a technical failure (retried, an incident at the end), not a failed gate: no recovery, no checkpoint
    assertThat(failure).as("the job fails on the node without the repository").isNotNull();
    Job failed = a.engine().getManagementService().createJobQuery().jobId(job.getId()).singleResult();
    assertThat(failed.getRetries()).isEqualTo(job.getRetries() - 1);
    assertThat(failed.getExceptionMessage()).contains(repo.dir().toString());
    assertThat(a.engine().getRuntimeService().createProcessInstanceQuery().superProcessInstanceId(instance).count())
        .as("no recovery started").isZero();
    assertThat(ids(a.cortex().checkpoints("cluster-unmounted"))).containsExactly("session-start");
    assertThat(a.cortex().audit("cluster-unmounted", 1000)).isEqualTo(auditBefore);

    // when: the job's retry runs where the repository is
    Files.move(away, repo.dir());
    a.cortex().driveJobs();

    // then: the phase ends normally
    assertThat(a.cortex().status("cluster-unmounted").activePhases()).containsExactly("GREEN");
    assertThat(checkpoint(b, "cluster-unmounted", "red-1").metrics()).containsEntry("gate_passed", true);
    assertRowsMatchRefs(repo, "cluster-unmounted");
  }

  @Test
  void serverNodesWithJobExecutorsShareTheJobs() throws InterruptedException {
    // given: two more nodes, each with a job executor, as two ./cortex serve on the same database
    Node c = node("node-c", true);
    Node d = node("node-d", true);
    try {
      List<String> sessions = new ArrayList<>();
      Map<String, TempRepo> repos = new TreeMap<>();
      for (int i = 0; i < 6; i++) {
        Node via = i % 2 == 0 ? c : d;
        String session = "cluster-served-" + i;
        TempRepo repo = TempRepo.init(root).write("README.md", "# " + i + "\n").commitAll("init");
        via.cortex().startSession(Workflow.TDD, session, repo.dir());
        repo.write("spec.txt", "failing test " + i + "\n");
        sessions.add(session);
        repos.put(session, repo);
      }

      // when: RED is completed on alternating nodes; the executors pick up the gate jobs
      for (int i = 0; i < sessions.size(); i++) {
        (i % 2 == 0 ? d : c).cortex().completePhase(sessions.get(i), "RED", Map.of("i", i));
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && !sessions.stream()
          .allMatch(s -> c.cortex().status(s).activePhases().equals(List.of("GREEN")))) {
        Thread.sleep(100);
      }

      // then: every session passed its gate exactly once, on one of the two nodes
      for (String session : sessions) {
        assertThat(c.cortex().status(session).activePhases()).as(session).containsExactly("GREEN");
        assertThat(ids(d.cortex().checkpoints(session))).as(session).containsExactly("session-start", "red-1");
        assertThat(checkpoint(c, session, "red-1").metrics()).as(session).containsEntry("gate_passed", true);
        assertRowsMatchRefs(repos.get(session), session);
      }
      Set<String> hosts = c.engine().getHistoryService().createHistoricJobLogQuery().successLog().list().stream()
          .filter(log -> sessions.contains(businessKey(c, log.getProcessInstanceId())))
          .map(HistoricJobLog::getHostname).collect(Collectors.toSet());
      assertThat(hosts).isNotEmpty().isSubsetOf("node-c", "node-d");
      assertThat(c.engine().getManagementService().createJobQuery().withException().count()).isZero();
    } finally {
      c.close();
      d.close();
    }
  }

  @Test
  void checkpointsFromNodesInOtherProcessesAndThisOneOnOneRepositoryAreSerialised() throws Exception {
    // given: one session, two worker processes (engine nodes of their own) ready to write to its repository
    TempRepo repo = TempRepo.init(root).write("README.md", "# busy\n").commitAll("init");
    a.cortex().startSession(Workflow.PLANNING, "cluster-busy", repo.dir());
    Path go = root.resolve("go-busy");
    int perWriter = 5;
    List<Process> workers = new ArrayList<>();
    for (String worker : List.of("proc1", "proc2")) {
      workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ClusterWorker.class.getName(), configFile.toString(),
          root.resolve("data-" + worker).toString(), "cluster-busy", worker, String.valueOf(perWriter), go.toString(),
          repo.dir().toString())
          .redirectErrorStream(true).redirectOutput(root.resolve(worker + ".log").toFile()).start());
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline && !List.of("proc1", "proc2").stream()
        .allMatch(w -> logOf(w).contains("READY"))) {
      assertThat(workers).as("workers still running").allMatch(Process::isAlive);
      Thread.sleep(50);
    }

    // when: the workers and node A and node B (two threads each) take checkpoints at the same time
    Files.createFile(go);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (Node node : List.of(a, b)) {
      for (int t = 1; t <= 2; t++) {
        String writer = node.name() + "-t" + t;
        Thread thread = new Thread(() -> {
          try {
            for (int i = 1; i <= perWriter; i++) {
              repo.write(writer + ".txt", writer + " " + i + "\n");
              node.cortex().createCheckpoint("cluster-busy", writer + "-" + i, Map.of("writer", writer));
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, writer);
        threads.add(thread);
        thread.start();
      }
    }
    for (Thread thread : threads) {
      thread.join(120_000);
    }
    for (Process worker : workers) {
      assertThat(worker.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    // then: nobody failed, nothing was lost, every sequence number is taken once, and rows and refs agree
    assertThat(failures).isEmpty();
    for (String worker : List.of("proc1", "proc2")) {
      assertThat(logOf(worker)).as(worker).contains("DONE");
    }
    List<Checkpoint> checkpoints = b.cortex().checkpoints("cluster-busy");
    assertThat(checkpoints).hasSize(1 + 6 * perWriter);
    assertThat(checkpoints).extracting(Checkpoint::sequence).doesNotHaveDuplicates();
    for (String writer : List.of("proc1", "proc2", "node-a-t1", "node-a-t2", "node-b-t1", "node-b-t2")) {
      for (int i = 1; i <= perWriter; i++) {
        String id = writer + "-" + i;
        assertThat(repo.git("show", checkpoint(a, "cluster-busy", id).snapshotCommit() + ":" + writer + ".txt"))
            .as(id).isEqualTo(writer + " " + i + "\n");
      }
    }
    assertRowsMatchRefs(repo, "cluster-busy");
  }

  private static String logOf(String worker) {
    try {
      Path log = root.resolve(worker + ".log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void theCliIsOneMoreNodeOnTheSameDatabase() {
    // given: a session started through node A
    TempRepo repo = TempRepo.init(root).write("README.md", "# cli\n").commitAll("init");
    a.cortex().startSession(Workflow.PLANNING, "cluster-cli", repo.dir());
    Path data = root.resolve("data-cli");

    // when: ./cortex with database.url at the same PostgreSQL lists it, and completes a phase
    Cli listed = cli("--data", data.toString(), "--config", configFile.toString(), "checkpoints", "--session",
        "cluster-cli", "--json");
    repo.write("requirements.md", "- from the cli\n");
    Cli completed = cli("--data", data.toString(), "--config", configFile.toString(), "phase", "complete",
        "--session", "cluster-cli", "--phase", "DoR");

    // then: the CLI saw node A's session, and both nodes see the CLI's checkpoint
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("session-start");
    assertThat(completed.exit()).as(completed.err()).isZero();
    assertThat(ids(b.cortex().checkpoints("cluster-cli"))).containsExactly("session-start", "dor-1");
    assertThat(b.cortex().status("cluster-cli").activePhases()).containsExactly("Implementation");
    assertThat(Files.exists(data.resolve("cortex.mv.db"))).as("no H2 database beside PostgreSQL").isFalse();
    assertRowsMatchRefs(repo, "cluster-cli");
  }

  // --- helpers ---

  private record Cli(int exit, String out, String err) {
  }

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = CortexCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(exit, out.toString(), err.toString());
  }

  private static String businessKey(Node node, String processInstanceId) {
    var instance = node.engine().getHistoryService().createHistoricProcessInstanceQuery()
        .processInstanceId(processInstanceId).singleResult();
    return instance == null ? null : instance.getBusinessKey();
  }

  private static Checkpoint checkpoint(Node node, String session, String id) {
    return node.cortex().checkpoints(session).stream().filter(c -> c.checkpointId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(session + " has no checkpoint " + id + " seen from " + node.name()));
  }

  private static List<String> ids(List<Checkpoint> checkpoints) {
    return checkpoints.stream().map(Checkpoint::checkpointId).toList();
  }

  /** The catalogue rows of a session (read through node B) and its checkpoint refs in git name the same commits. */
  private static void assertRowsMatchRefs(TempRepo repo, String session) {
    Map<String, String> rows = new TreeMap<>();
    b.cortex().checkpoints(session).forEach(c -> rows.put(c.checkpointId(), c.snapshotCommit()));
    Map<String, String> refs = new TreeMap<>();
    String prefix = "refs/cortex/checkpoints/" + session + "/";
    for (String line : repo.git("for-each-ref", "--format=%(refname) %(objectname)", prefix).split("\n")) {
      if (!line.isBlank()) {
        String[] parts = line.split(" ");
        refs.put(parts[0].substring(prefix.length()), parts[1]);
      }
    }
    assertThat(refs).as("refs of " + session).isEqualTo(rows);
  }
}
