package io.cortex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ./cortex} command line. Every call starts the embedded engine on the shared
 * database, does one thing and exits: 0 on success, 1 with one line on stderr when Cortex
 * refuses or fails, 2 on a usage error.
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

  CliContext context() {
    return new CliContext(data, config, System.getenv());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line with the given output streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    new CliErrors(out, err).install(cli);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The command tree, every command and subcommand answering {@code -h/--help} (and {@code -V/--version}). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CortexCli());
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
    if (message == null) {
      return "null";
    }
    StringBuilder text = new StringBuilder(message.length());
    message.codePoints().forEach(c -> {
      if (c != '\n' && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
        text.append(String.format("\\u%04x", c));
      } else {
        text.appendCodePoint(c);
      }
    });
    return text.toString();
  }

}
