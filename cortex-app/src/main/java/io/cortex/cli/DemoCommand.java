package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.base.CortexException;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.git.ScratchRepository;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a whole Planning session on a scratch repository and narrates what Cortex did. Its sessions live in a data
 * directory of their own ({@code <data dir>/demo}), so they never show up among the user's sessions nor make a
 * rollback command without a session id ambiguous.
 */
@Command(name = "demo", description = {
    "Run a whole Planning session on a scratch repository and print what happened.",
    "Its sessions are kept apart from yours, in <data dir>/demo (see the --data of the commands it suggests)."})
final class DemoCommand extends CliCommand {

  private Path demoData;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the scratch repository (default: a temp folder).")
  Path dir;

  /**
   * The demo's own data directory and engine (named apart from the data directory's own engine, which the resident
   * Cortex running this command keeps open beside it).
   */
  @Override
  CliEngine open(CliContext context) {
    demoData = context.dataDir().resolve("demo");
    org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration configuration =
        EmbeddedEngine.configuration(context.config(), demoData);
    configuration.setProcessEngineName("cortex-demo");
    org.camunda.bpm.engine.ProcessEngine engine = configuration.buildProcessEngine();
    try {
      EmbeddedEngine.deployWorkflows(engine);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return new CliEngine(Cortex.on(engine), engine::close);
  }

  @Override
  void run(Cortex cortex, PrintWriter out) throws IOException {
    Path repo = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("cortex-demo-");
    if (Files.exists(repo.resolve(".git"))) {
      throw new CortexException("Demo directory " + repo + " is a git repository already; give an empty or new --dir");
    }
    String session = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    ScratchRepository.create(repo, Map.of(
        "README.md", "# Auth service\n",
        "src/App.java", "class App {\n  public static void main(String[] a) {}\n}\n",
        ".gitignore", "build/\n"), "Initial commit");
    out.printf("Scratch repository %s (one commit on main)%n%n", repo);

    out.printf("1. Start a Planning session %s%n", session);
    SessionStatus status = cortex.startSession(Workflow.PLANNING, session, repo);
    report(out, status.lastCheckpoint());

    out.println("2. DoR: write the requirements (left uncommitted), complete DoR");
    write(repo, "docs/requirements.md", "- login with password\n- lock after 5 failures\n");
    cortex.completePhase(session, "DoR", Map.of("requirements_validated", true, "acceptance_criteria_count", 2));
    report(out, last(cortex, session));

    out.println("3. Implementation: add Auth.java, change App.java, build output in ignored build/, complete Implementation");
    write(repo, "src/Auth.java", "class Auth {\n  boolean login(String u, String p) { return true; }\n}\n");
    write(repo, "src/App.java", "class App {\n  public static void main(String[] a) { new Auth(); }\n}\n");
    write(repo, "build/App.class", "compiled");
    cortex.completePhase(session, "Implementation", Map.of("tests_passing", 25, "coverage", 92.5));
    report(out, last(cortex, session));

    out.println("4. DoD: add a test, complete DoD");
    write(repo, "test/AuthTest.java", "class AuthTest {}\n");
    cortex.completePhase(session, "DoD", Map.of("acceptance_criteria_met", 2));
    report(out, last(cortex, session));

    status = cortex.status(session);
    out.printf("Session %s %s. Its checkpoints:%n%n", session, status.running() ? "is running" : "is complete");
    out.print(CheckpointView.table(status.checkpoints()));
    out.printf("%nEach checkpoint is a commit of the whole working tree under refs/cortex/checkpoints/%s/;%n", session);
    out.println("the repository's branch, HEAD, index and files were left exactly as they were. Try:");
    out.printf("  git -C %s for-each-ref refs/cortex%n", repo);
    out.printf("  git -C %s show --stat refs/cortex/checkpoints/%s/implementation-1%n", repo, session);
    out.printf("  ./cortex --data %s checkpoints --session %s%n", demoData, session);
    out.printf("%nThe demo's sessions are kept in %s, apart from yours.%n", demoData);
  }

  private static Checkpoint last(Cortex cortex, String session) {
    return cortex.status(session).lastCheckpoint();
  }

  private static void report(PrintWriter out, Checkpoint c) {
    out.printf("   -> checkpoint %-18s %-13s commit %s%s%n%n", c.checkpointId(), c.type(), c.shortSnapshot(),
        c.metrics().isEmpty() ? "" : "  metrics " + io.cortex.base.Json.write(c.metrics()));
  }

  private static void write(Path repo, String path, String content) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
