package io.cortex.bench;

import io.cortex.base.PhaseProperty;
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
    NativeGit.git(empty, "config", "gc.auto", "0");
    BenchRepo full = CheckpointSection.generate(config, "engine-1k", 1_000);

    // All three engines at once, one instance of each in turn (rotating order), and the git work
    // alone in the same rounds: a change of machine load hits every variant alike.
    Variant raw = new Variant("raw engine", Engines.build("engine-raw", false), empty, n);
    Variant stub = new Variant("plugin, git stubbed (empty repo)", Engines.build("engine-stub", true), empty, n);
    Variant withGit = new Variant("plugin, 1k-file repo", Engines.build("engine-git", true), full.dir, n);
    Variant[] variants = {raw, stub, withGit};
    CortexGit.Breakdown emptySplit = new CortexGit.Breakdown();
    CortexGit.Breakdown fullSplit = new CortexGit.Breakdown();
    double[] gitEmptyMs = new double[n];
    double[] git1kMs = new double[n];
    try {
      for (Variant v : variants) {
        v.engine.getRepositoryService().createDeployment().addModelInstance("bench-five-phases.bpmn", model()).deploy();
      }
      for (int i = 0; i < warm; i++) {
        for (Variant v : variants) {
          v.instance("w" + i, -1);
        }
        CortexGit.checkpoint(empty, "g", "we" + i, null);
        CortexGit.checkpoint(full.dir, "g", "wf" + i, null);
      }
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < variants.length + 2; k++) {
          int which = (i + k) % (variants.length + 2);
          int index = i;
          if (which < variants.length) {
            variants[which].instance("i" + i, i);
          } else if (which == variants.length) {
            gitEmptyMs[i] = Timer.time(x -> CortexGit.checkpoint(empty, "g", "e" + index, emptySplit), i);
          } else {
            git1kMs[i] = Timer.time(x -> CortexGit.checkpoint(full.dir, "g", "f" + index, fullSplit), i);
          }
        }
      }
      int[] j = {0};
      profiles.profile("engine phase, plugin + empty repo (start + 5 phases)", Math.max(20, n / 2), null,
          x -> stub.instance("prof" + j[0]++, -1));
    } finally {
      for (Variant v : variants) {
        v.engine.close();
      }
    }
    Stats gitEmpty = Stats.of(gitEmptyMs);
    Stats git1k = Stats.of(git1kMs);
    report.fact("engine", "instances/s = instances / sum of their own times (variants interleaved, so not wall time)");
    report.fact("engine", "no-op checkpoint on the empty repository: " + emptySplit.summary() + "; on the 1k-file repository: "
        + fullSplit.summary());
    report.fact("engine", String.format(Locale.ROOT, "per phase: stubbed %s ms - raw %s ms = %s ms added, of which the empty-repo"
            + " git work is %s ms; with git: %s - %s = %s ms added vs a %s ms no-op checkpoint",
        Report.fmt(stub.phase().median()), Report.fmt(raw.phase().median()),
        Report.fmt(stub.phase().median() - raw.phase().median()), Report.fmt(gitEmpty.median()),
        Report.fmt(withGit.phase().median()), Report.fmt(raw.phase().median()),
        Report.fmt(withGit.phase().median() - raw.phase().median()), Report.fmt(git1k.median())));

    for (Variant r : new Variant[] {stub, withGit}) {
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
    for (Variant r : new Variant[] {raw, stub, withGit}) {
      report.fact("engine", String.format(Locale.ROOT, "%s: %.1f instances/s; instance median %s ms; phase median %s p95 %s ms",
          r.name(), r.instancesPerSecond(), Report.fmt(r.instance().median()), Report.fmt(r.phase().median()),
          Report.fmt(r.phase().p95())));
    }
    BenchRepo.deleteTree(full.dir);
  }

  /** One engine variant and its samples. */
  private static final class Variant {
    final String name;
    final ProcessEngine engine;
    final Path repo;
    final String prefix;
    final double[] instanceMs;
    final double[] startMs;
    final double[] phaseMs;

    Variant(String name, ProcessEngine engine, Path repo, int n) {
      this.name = name;
      this.engine = engine;
      this.repo = repo;
      this.prefix = Integer.toHexString(System.identityHashCode(engine)) + "-";
      this.instanceMs = new double[n];
      this.startMs = new double[n];
      this.phaseMs = new double[n * PHASES];
    }

    /** One instance (start + 5 phases); {@code index} < 0: untimed. */
    void instance(String id, int index) {
      long s = System.nanoTime();
      EngineSection.instance(engine.getRuntimeService(), engine.getTaskService(), prefix + id, repo,
          index < 0 ? null : startMs, index < 0 ? null : phaseMs, Math.max(0, index));
      if (index >= 0) {
        instanceMs[index] = (System.nanoTime() - s) / 1e6;
      }
    }

    String name() {
      return name;
    }

    double instancesPerSecond() {
      return instanceMs.length / (java.util.Arrays.stream(instanceMs).sum() / 1000);
    }

    Stats instance() {
      return Stats.of(instanceMs);
    }

    Stats start() {
      return Stats.of(startMs);
    }

    Stats phase() {
      return Stats.of(phaseMs);
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
