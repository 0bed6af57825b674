package io.cortex.cli;

import io.cortex.text.Echo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ./cortex} command line: 0 on success, 1 with one line on stderr when Cortex refuses or fails, 2 on a
 * usage error. The launcher sends each call to the resident Cortex of the data directory (the thin client
 * {@code io.cortex.client.CortexClient}), which runs it here with the client's working directory, environment,
 * terminal and streams ({@link Invocation}); {@code --no-daemon}, {@code serve} and tests run it in-process.
 *
 * <pre>{@code
 * ./cortex start planning --repo ~/work/app --session feature-auth-001
 * ./cortex phase complete --session feature-auth-001 --phase DoR --metric requirements_validated=true
 * ./cortex checkpoints --session feature-auth-001 --json
 * }</pre>
 */
@Command(name = "cortex", mixinStandardHelpOptions = true, version = "cortex 0.1.0",
    description = "Git checkpoints and rollback compensation for Camunda 7 development workflows.",
    subcommands = {ServeCommand.class, StartCommand.class, PhaseCommand.class, StatusCommand.class, SessionsCommand.class,
        SessionCommand.class, CheckpointCommand.class,
        CheckpointsCommand.class, RollbackCommand.class, UndoCommand.class, DiffCommand.class, HistoryCommand.class,
        AuditCommand.class, RetentionCommand.class, ExportCommand.class, ImportCommand.class, RebuildCommand.class, DemoCommand.class,
        DaemonCommand.class,
        HelpCommand.class})
public final class CortexCli {

  @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Data directory (H2 database). Default: $CORTEX_DATA, else <cortex home>/data.")
  Path data;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Configuration file. Default: $CORTEX_CONFIG, else <cortex home>/config/cortex.yaml.")
  Path config;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "No progress output on stderr (--json implies it).")
  boolean quiet;

  @Option(names = "--no-daemon", scope = ScopeType.INHERIT,
      description = "Run in this process, not in the resident Cortex of the data directory (which must then not run).")
  boolean noDaemon;

  private final Invocation invocation;

  /** The command line as this process runs it (for tools that parse it, e.g. completion scripts). */
  public CortexCli() {
    this(Invocation.inProcess());
  }

  CortexCli(Invocation invocation) {
    this.invocation = invocation;
  }

  CliContext context() {
    return new CliContext(data, config, invocation);
  }

  Invocation invocation() {
    return invocation;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line in this process with the given output streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, Invocation.inProcess());
  }

  /** Runs a client's command line in the resident process (or server) that keeps {@code engine} open. */
  public static int runResident(io.cortex.daemon.Call call, io.cortex.daemon.ResidentEngine engine, PrintWriter out,
                                PrintWriter err) {
    String[] args = call.args().toArray(String[]::new);
    java.util.List<String> words = io.cortex.client.CortexClient.positional(args);
    if (!words.isEmpty() && (words.get(0).equals("serve") || words.equals(java.util.List.of("daemon", "run")))) {
      err.println("cortex: '" + String.join(" ", words) + "' runs in a process of its own, not in the resident Cortex:"
          + " start it with ./cortex " + String.join(" ", words));
      return 2;
    }
    return run(args, out, err, Invocation.resident(call, engine));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err, Invocation invocation) {
    CommandLine cli = commandLine(invocation);
    // every path in a call is the caller's: relative ones resolve against its working directory, not ours; and
    // picocli would turn "" into the current directory: '--repo ""' once started a session on the wrong one
    cli.registerConverter(Path.class, value -> {
      if (value.isBlank()) {
        throw new CommandLine.TypeConversionException("the path is empty; give a path ('.' for the current directory)");
      }
      return invocation.cwd().resolve(value);
    });
    cli.setOut(out);
    cli.setErr(err);
    new CliErrors(out, err, invocation).install(cli);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The command tree, every command and subcommand answering {@code -h/--help} (and {@code -V/--version}). */
  public static CommandLine commandLine() {
    return commandLine(Invocation.inProcess());
  }

  static CommandLine commandLine(Invocation invocation) {
    CommandLine cli = new CommandLine(new CortexCli(invocation));
    withStandardHelp(cli);
    return cli;
  }

  private static void withStandardHelp(CommandLine command) {
    if (!command.getCommandSpec().helpCommand()) {
      command.getCommandSpec().mixinStandardHelpOptions(true);
    }
    command.getSubcommands().values().forEach(CortexCli::withStandardHelp);
  }

  /**
   * An error message as the terminal may show it: control characters a bad argument carried (escape
   * sequences, carriage returns, NUL) become {@code \\uXXXX}, so they can neither garble nor forge output.
   */
  static String printable(String message) {
    return Echo.message(message);
  }

}
