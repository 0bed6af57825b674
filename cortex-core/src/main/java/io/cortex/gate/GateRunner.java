package io.cortex.gate;

import io.cortex.config.GateConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a phase gate's command: {@code sh -c <command>} in the work tree, with the environment of
 * Cortex plus {@value #ENVIRONMENT_VARIABLE}{@code =1}, stdin closed, stdout and stderr merged.
 * The output is read on its own thread (a chatty command never blocks) and only its tail is
 * kept. A command that exceeds the gate's time limit is killed with every process it started.
 *
 * <pre>{@code
 * GateResult result = new GateRunner().run(workTree, gate, config.gates().outputLimitBytes());
 * if (!result.passed()) {
 *   throw new BpmnError(result.timedOut() ? "TIMEOUT" : "GATE_FAILED", result.summary());
 * }
 * }</pre>
 */
public final class GateRunner {

  /** Set to {@code 1} for gate commands, so scripts can tell they run as a gate. */
  public static final String ENVIRONMENT_VARIABLE = "CORTEX_GATE";
  /** Starts the output when older output was cut off. */
  public static final String TRUNCATION_MARK = "…(truncated)\n";
  /** How long output is still collected after the command exited (background processes). */
  static final long OUTPUT_GRACE_MS = 2_000L;
  /** How long a killed command may take to go away. */
  static final long KILL_WAIT_MS = 5_000L;

  /**
   * Runs {@code gate} in {@code workTree} and reports what happened; a failed or timed-out
   * command is a result, not an exception.
   *
   * @param outputLimitBytes how many bytes of output to keep, the last ones (at least 1); the
   *     {@link #TRUNCATION_MARK} comes on top
   * @throws GateException if the command cannot be started (e.g. {@code workTree} does not
   *     exist) or the calling thread is interrupted (the command is then killed)
   */
  public GateResult run(Path workTree, GateConfig gate, int outputLimitBytes) {
    Objects.requireNonNull(workTree, "workTree");
    Objects.requireNonNull(gate, "gate");
    OutputTail tail = new OutputTail(outputLimitBytes);
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", gate.command())
        .directory(workTree.toFile())
        .redirectErrorStream(true);
    builder.environment().put(ENVIRONMENT_VARIABLE, "1");

    long started = System.nanoTime();
    Process process = start(builder, workTree, gate);
    closeQuietly(process.getOutputStream());
    Thread reader = new Thread(
        () -> tail.drain(process.getInputStream()), "cortex-gate-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();

    boolean finished = waitFor(process, gate);
    if (!finished) {
      destroyTree(process);
    }
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    awaitOutput(reader);

    int exitCode = finished ? process.exitValue() : -1;
    boolean passed = finished && gate.expect().isMetBy(exitCode);
    return new GateResult(gate.command(), gate.expect(), exitCode, !finished, durationMs,
        tail.text(TRUNCATION_MARK), passed);
  }

  private static Process start(ProcessBuilder builder, Path workTree, GateConfig gate) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new GateException("Gate command '" + gate.command() + "' could not be started in "
          + workTree + ": " + e.getMessage(), e);
    }
  }

  private static boolean waitFor(Process process, GateConfig gate) {
    try {
      return process.waitFor(gate.timeoutMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      destroyTree(process);
      Thread.currentThread().interrupt();
      throw new GateException("Gate command '" + gate.command()
          + "' was interrupted and has been killed", e);
    }
  }

  /**
   * Kills {@code process} and every process it started. The descendants are listed first: once
   * the process is gone, its children no longer count as its descendants.
   */
  private static void destroyTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the output to end; background processes of the command may keep it open. */
  private static void awaitOutput(Thread reader) {
    try {
      reader.join(OUTPUT_GRACE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(OutputStream stdin) {
    try {
      stdin.close();
    } catch (IOException e) {
      // nothing to close: the command reads end-of-file either way
    }
  }
}
