package io.cortex.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;

/**
 * {@code cortex help [COMMAND [SUBCOMMAND]]}: the help of a command at any depth ({@code cortex help phase complete}),
 * where picocli's own help command stops at the first level. A name that is not a command is a usage error with
 * picocli's suggestions, like a mistyped command.
 */
@Command(name = "help", helpCommand = true,
    description = "Show the help of a command or subcommand, e.g. './cortex help phase complete'.")
final class HelpCommand implements IHelpCommandInitializable2, Runnable {

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommand) to explain.")
  List<String> commands;

  private CommandLine self;
  private PrintWriter out;
  private Help.ColorScheme colors;

  @Override
  public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = out;
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    if (commands != null) {
      for (String name : commands) {
        CommandLine next = target.getSubcommands().get(name);
        if (next == null) {
          throw new CommandLine.UnmatchedArgumentException(target, List.of(name));
        }
        target = next;
      }
    }
    target.usage(out, colors);
  }
}
