package io.cortex.engine;

import io.cortex.config.CortexConfig;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.repository.DeploymentBuilder;

/**
 * Builds the embedded engine the CLI uses: Camunda 7 on an H2 file database in the data
 * directory (or the configured JDBC URL), with the Cortex plugin and the shipped workflows.
 * Exactly one process opens the H2 file — the resident Cortex or the server ({@code io.cortex.daemon}) — and every
 * CLI call goes to it; the database never listens on a network port (no {@code AUTO_SERVER}).
 *
 * <p>With {@code database.url: jdbc:postgresql://…} the engine is one node of a Camunda cluster: every
 * node (servers and CLI calls) on the same database shares the sessions, the catalogue and the audit
 * log. See docs/reliability.md, "Scale-out".
 */
public final class EmbeddedEngine {

  public static final String ENGINE_NAME = "default";

  /** Deployed with the workflows: the recovery they call, the operator's decision form, TDD's cycle choice. */
  public static final java.util.List<String> SUPPORT_RESOURCES = java.util.List.of(
      Workflow.RESOURCE_FOLDER + "recovery.bpmn", Workflow.RESOURCE_FOLDER + "operator-decision.form",
      Workflow.RESOURCE_FOLDER + "tdd-refactor.form",
      Workflow.RESOURCE_FOLDER + "retention.bpmn", Workflow.RESOURCE_FOLDER + "auto-checkpoint.bpmn");

  static final String AUTO_CHECKPOINT_PROCESS = "cortex-auto-checkpoint";

  private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
  private static final String H2_PREFIX = "jdbc:h2:";

  private EmbeddedEngine() {
  }

  /**
   * The H2 file database in {@code dataDir}, for the one process that owns the directory. {@code WRITE_DELAY=0}:
   * H2 otherwise writes committed transactions to the file up to half a second later, and a process killed in
   * between loses them — a PRE_ROLLBACK checkpoint's row, or an intent record, would vanish while git already
   * holds what it guards. {@code DB_CLOSE_ON_EXIT=FALSE}: the owner closes the database itself, after its last
   * command; H2's own shutdown hook could close it under a command that still runs.
   */
  public static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("cortex") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** Starts an engine without a job executor (a CLI call is short-lived), deploying the workflows. */
  public static ProcessEngine start(CortexConfig config, Path dataDir) {
    ProcessEngine engine = configuration(config, dataDir).buildProcessEngine();
    deployWorkflows(engine);
    return engine;
  }

  /**
   * The configuration {@link #start} builds its engine from: engine {@value #ENGINE_NAME} on {@link #jdbcUrl},
   * schema created or updated on start, full history, no job executor, the Cortex plugin. Cluster nodes and
   * tests start from it and change what differs (engine name, job executor).
   */
  public static StandaloneProcessEngineConfiguration configuration(CortexConfig config, Path dataDir) {
    String url = jdbcUrl(config, dataDir);
    StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
    configuration.setProcessEngineName(ENGINE_NAME);
    configuration.setJdbcUrl(url);
    configuration.setJdbcUsername(config.database().username());
    configuration.setJdbcPassword(config.database().password());
    configuration.setJdbcDriver(jdbcDriver(url));
    configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    configuration.setJobExecutorActivate(false);
    configuration.setMetricsEnabled(false);
    configuration.setDbMetricsReporterActivate(false);
    // Cortex reports its refusals itself (one line on stderr); the engine's ERROR log with a
    // stack trace for every failed command would bury them.
    configuration.setEnableCmdExceptionLogging(false);
    configuration.getProcessEnginePlugins().add(new CortexProcessEnginePlugin(config));
    return configuration;
  }

  /** {@code database.url}, or the H2 file database in {@code dataDir} when it is empty. */
  public static String jdbcUrl(CortexConfig config, Path dataDir) {
    return config.database().embedded() ? h2Url(dataDir) : durable(config.database().url());
  }

  /** A configured H2 database on disk gets {@code WRITE_DELAY=0} too (see {@link #h2Url}), unless it sets its own. */
  public static String durable(String url) {
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    if (!url.startsWith(H2_PREFIX) || upper.startsWith("JDBC:H2:MEM:") || upper.contains("WRITE_DELAY")) {
      return url;
    }
    return url + ";WRITE_DELAY=0";
  }

  /**
   * The JDBC driver class of a URL: PostgreSQL and H2 (both ship with Cortex), else whichever driver on the
   * class path accepts the URL. A URL no driver accepts fails here, naming the URL, rather than with a
   * driver error from deep inside the engine.
   */
  public static String jdbcDriver(String url) {
    if (url.startsWith(POSTGRESQL_PREFIX)) {
      return "org.postgresql.Driver";
    }
    if (url.startsWith(H2_PREFIX)) {
      return "org.h2.Driver";
    }
    try {
      return java.sql.DriverManager.getDriver(url).getClass().getName();
    } catch (java.sql.SQLException e) {
      String scheme = url.indexOf(':', 5) > 0 ? url.substring(0, url.indexOf(':', 5) + 1) : url;
      throw new io.cortex.base.CortexException("database.url: no JDBC driver for '" + scheme + "' URLs; Cortex ships"
          + " the PostgreSQL (" + POSTGRESQL_PREFIX + "//host:5432/db) and H2 drivers", e);
    }
  }

  /** Deploys the shipped BPMN; unchanged resources are filtered out, so repeated starts deploy nothing. */
  public static void deployWorkflows(ProcessEngine engine) {
    DeploymentBuilder deployment = engine.getRepositoryService().createDeployment()
        .name("cortex-workflows").enableDuplicateFiltering(true);
    for (Workflow workflow : Workflow.values()) {
      deployment.addClasspathResource(workflow.resource());
    }
    for (String resource : SUPPORT_RESOURCES) {
      deployment.addClasspathResource(resource);
    }
    deployment.deploy();
    switchAutoCheckpoints(engine);
  }

  /** The auto-checkpoint timer runs only while {@code checkpoint.autoCheckpoint.enabled} is true. */
  private static void switchAutoCheckpoints(ProcessEngine engine) {
    boolean enabled = CortexProcessEnginePlugin.of(
            (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .map(p -> p.services().config().checkpoint().autoCheckpoint().enabled()).orElse(false);
    var definition = engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey(AUTO_CHECKPOINT_PROCESS).latestVersion().singleResult();
    if (definition == null || definition.isSuspended() != enabled) {
      return;
    }
    if (enabled) {
      engine.getRepositoryService().activateProcessDefinitionByKey(AUTO_CHECKPOINT_PROCESS, true, null);
    } else {
      engine.getRepositoryService().suspendProcessDefinitionByKey(AUTO_CHECKPOINT_PROCESS, true, null);
    }
  }
}
