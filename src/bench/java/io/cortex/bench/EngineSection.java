package io.cortex.bench;

import io.cortex.engine.PhaseProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * A five-phase process (five user tasks marked {@code cortex.phase}, built with the model API)
 * on the raw engine, with the plugin on an empty repository ("git stubbed": the git path runs
 * on zero files), and with the plugin on the 1k-file repository (nothing changed between
 * phases). Same in-memory H2 configuration, full history, no job executor.
 */
final class EngineSection {

  static final String KEY = "bench-five-phases";
  static final int PHASES = 5;

  record Run(String name, double instancesPerSecond, Stats instance, Stats start, Stats phase) {
  }

  private EngineSection() {
  }

  static BpmnModelInstance model() {
    var builder = Bpmn.createExecutableProcess(KEY).name("Bench five phases").startEvent("start");
    var task = builder.userTask("Phase1").name("Phase 1");
    for (int p = 2; p <= PHASES; p++) {
      task = task.userTask("Phase" + p).name("Phase " + p);
    }
    BpmnModelInstance model = task.endEvent("end").done();
    for (int p = 1; p <= PHASES; p++) {
      UserTask userTask = model.getModelElementById("Phase" + p);
      ExtensionElements extensions = model.newInstance(ExtensionElements.class);
      CamundaProperties properties = model.newInstance(CamundaProperties.class);
      CamundaProperty property = model.newInstance(CamundaProperty.class);
      property.setCamundaName(PhaseProperty.NAME);
      property.setCamundaValue("PHASE" + p);
      properties.getCamundaProperties().add(property);
      extensions.addChildElement(properties);
      userTask.setExtensionElements(extensions);
    }
    Bpmn.validateModel(model);
    return model;
  }

  static void run(Bench.Config config, Report report, Profiles profiles) throws Exception {
    int n = config.engineInstances;
    int warm = Math.max(10, n / 5);
    Path empty = Bench.repoDir(config, "engine-empty");
    BenchRepo.deleteTree(empty);
    Files.createDirectories(empty);
    NativeGit.git(empty, "init", "-q", "-b", "main");
    BenchRepo full = CheckpointSection.generate(config, "engine-1k", 1_000);

    Run raw = run(config, "raw engine", false, empty, warm, n, profiles, null);
    Run stub = run(config, "plugin, git stubbed (empty repo)", true, empty, warm, n, profiles, "engine phase, plugin + empty repo");
    Run withGit = run(config, "plugin, 1k-file repo", true, full.dir, warm, n, profiles, null);

    // The git work alone, on the same repositories (no-op checkpoint, as each phase end takes).
    int[] k = {0};
    CortexGit.Breakdown emptySplit = new CortexGit.Breakdown();
    CortexGit.Breakdown fullSplit = new CortexGit.Breakdown();
    Stats gitEmpty = Timer.measure(config.warmup * 3, Math.max(30, config.reps * 2), null,
        i -> CortexGit.checkpoint(empty, "g", "e" + k[0]++, emptySplit));
    Stats git1k = Timer.measure(config.warmup * 3, Math.max(30, config.reps * 2), null,
        i -> CortexGit.checkpoint(full.dir, "g", "f" + k[0]++, fullSplit));
    report.fact("engine", "no-op checkpoint on the empty repository: " + emptySplit.summary() + "; on the 1k-file repository: "
        + fullSplit.summary());
    report.fact("engine", String.format(Locale.ROOT, "per phase: stubbed %s ms - raw %s ms = %s ms added, of which the empty-repo"
            + " git work is %s ms; with git: %s - %s = %s ms added vs a %s ms no-op checkpoint",
        Report.fmt(stub.phase().median()), Report.fmt(raw.phase().median()),
        Report.fmt(stub.phase().median() - raw.phase().median()), Report.fmt(gitEmpty.median()),
        Report.fmt(withGit.phase().median()), Report.fmt(raw.phase().median()),
        Report.fmt(withGit.phase().median() - raw.phase().median()), Report.fmt(git1k.median())));

    for (Run r : new Run[] {stub, withGit}) {
      String key = r == stub ? "stub" : "git";
      report.add("engine/" + key + "/instance", "engine", "instance: start + 5 phases, " + r.name(), "-", r.instance(),
          raw.instance(), "raw engine, same process", String.format(Locale.ROOT, "%.1f vs %.1f instances/s",
              r.instancesPerSecond(), raw.instancesPerSecond()));
      report.add("engine/" + key + "/start", "engine", "start (session-start checkpoint), " + r.name(), "-", r.start(),
          raw.start(), "raw engine start", "");
      report.add("engine/" + key + "/phase", "engine", "phase completion (task query + complete), " + r.name(), "-",
          r.phase(), raw.phase(), "raw engine phase", "");
    }
    report.add("engine/git/empty", "engine", "no-op Cortex checkpoint alone, empty repo", "0", gitEmpty, null, null,
        "git cost inside each stubbed phase");
    report.add("engine/git/1k", "engine", "no-op Cortex checkpoint alone, 1k-file repo", "1k", git1k, null, null,
        "git cost inside each phase with git");
    for (Run r : new Run[] {raw, stub, withGit}) {
      report.fact("engine", String.format(Locale.ROOT, "%s: %.1f instances/s; instance median %s ms; phase median %s p95 %s ms",
          r.name(), r.instancesPerSecond(), Report.fmt(r.instance().median()), Report.fmt(r.phase().median()),
          Report.fmt(r.phase().p95())));
    }
    BenchRepo.deleteTree(full.dir);
  }

  private static Run run(Bench.Config config, String name, boolean plugin, Path repo, int warm, int n, Profiles profiles,
                         String profileName) throws Exception {
    ProcessEngine engine = Engines.build("engine", plugin);
    try {
      engine.getRepositoryService().createDeployment().addModelInstance("bench-five-phases.bpmn", model()).deploy();
      RuntimeService runtime = engine.getRuntimeService();
      TaskService tasks = engine.getTaskService();
      String prefix = (plugin ? "p" : "r") + Integer.toHexString(System.identityHashCode(engine)) + "-";
      for (int i = 0; i < warm; i++) {
        instance(runtime, tasks, prefix + "w" + i, repo, null, null);
      }
      double[] instanceMs = new double[n];
      double[] startMs = new double[n];
      double[] phaseMs = new double[n * PHASES];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        instance(runtime, tasks, prefix + i, repo, startMs, phaseMs, i);
        instanceMs[i] = (System.nanoTime() - s) / 1e6;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (profileName != null) {
        int[] j = {0};
        profiles.profile(profileName + " (start + 5 phases)", Math.max(20, n / 2), null,
            i -> instance(runtime, tasks, prefix + "prof" + j[0]++, repo, null, null));
      }
      return new Run(name, n / seconds, Stats.of(instanceMs), Stats.of(startMs), Stats.of(phaseMs));
    } finally {
      engine.close();
    }
  }

  private static void instance(RuntimeService runtime, TaskService tasks, String session, Path repo, double[] startMs,
                               double[] phaseMs) {
    instance(runtime, tasks, session, repo, startMs, phaseMs, 0);
  }

  private static void instance(RuntimeService runtime, TaskService tasks, String session, Path repo, double[] startMs,
                               double[] phaseMs, int index) {
    long s = System.nanoTime();
    String pi = runtime.startProcessInstanceByKey(KEY, session, Map.of("repositoryPath", repo.toString())).getId();
    if (startMs != null) {
      startMs[index] = (System.nanoTime() - s) / 1e6;
    }
    for (int p = 0; p < PHASES; p++) {
      long t = System.nanoTime();
      Task task = tasks.createTaskQuery().processInstanceId(pi).singleResult();
      tasks.complete(task.getId(), Map.of("cortexMetrics", "{\"tests_passing\":" + p + "}"));
      if (phaseMs != null) {
        phaseMs[index * PHASES + p] = (System.nanoTime() - t) / 1e6;
      }
    }
  }
}
