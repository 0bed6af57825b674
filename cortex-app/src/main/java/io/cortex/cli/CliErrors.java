package io.cortex.cli;

import io.cortex.base.CortexException;
import io.cortex.rollback.RollbackRefusedException;
import io.cortex.text.EditDistance;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * How the CLI reports what went wrong: one line on stderr ({@code cortex: …}) and an exit code — 1 when Cortex
 * refuses or fails, 2 for a usage error, 3 for a bug — and, when the command was asked for {@code --json}, the
 * same as a JSON object on stdout ({@code {"type", "message", "exitCode"}}, plus the safety report, refusals and
 * {@code forceAllowed} of a refused rollback), so a script reading stdout never has to parse text.
 */
final class CliErrors {

  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int UNEXPECTED = 3;

  private final PrintWriter out;
  private final PrintWriter err;
  private final Invocation invocation;

  CliErrors(PrintWriter out, PrintWriter err, Invocation invocation) {
    this.out = out;
    this.err = err;
    this.invocation = invocation;
  }

  void install(CommandLine cli) {
    cli.setExecutionExceptionHandler(this::execution);
    cli.setParameterExceptionHandler(this::usage);
  }

  private int execution(Exception e, CommandLine commandLine, ParseResult parseResult) {
    boolean json = wantsJson(parseResult);
    if (e instanceof CortexException) {
      String message = message(e);
      report(json, e.getClass().getSimpleName(), message, REFUSED, e);
      return REFUSED;
    }
    report(json, e.getClass().getSimpleName(), "unexpected " + e.getClass().getSimpleName() + ": "
        + e.getMessage(), UNEXPECTED, e);
    if (invocation.environment().get("CORTEX_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return UNEXPECTED;
  }

  private int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine where = e.getCommandLine();
    String message = e.getMessage();
    if (e instanceof CommandLine.MissingParameterException) {
      // a mistyped option ('--sesion') is what is wrong, not the option it failed to give
      List<String> unknown = unknownOptions(where, args);
      if (!unknown.isEmpty()) {
        e = new CommandLine.UnmatchedArgumentException(where, unknown);
        message = (unknown.size() == 1 ? "Unknown option: '" : "Unknown options: '") + String.join("', '", unknown) + "'";
      }
    } else if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !where.getSubcommands().isEmpty()
        && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")
        && where.getCommandSpec().positionalParameters().isEmpty()) {
      message = "Unknown command: '" + unmatched.getUnmatched().get(0) + "'";
    }
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      List<String> suggestions = closest(unmatched.getUnmatched().get(0), unmatched.getSuggestions());
      if (!suggestions.isEmpty()) {
        message += ". Did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
      }
    }
    String command = where.getCommandSpec().qualifiedName();
    String line = message + " (see './" + command + " --help')";
    report(Arrays.asList(args).contains("--json"), "UsageError", line, USAGE, null);
    return USAGE;
  }

  private void report(boolean json, String type, String message, int exitCode, Exception e) {
    err.println("cortex: " + CortexCli.printable(message));
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", type);
      body.put("message", message);
      body.put("exitCode", exitCode);
      if (e instanceof RollbackRefusedException refused) {
        body.put("safety", JsonViews.safety(refused.report()));
        body.put("refusals", JsonViews.refusals(refused.report()));
        body.put("forceAllowed", refused.forceWouldProceed());
      }
      CliCommand.printJson(out, body);
    }
  }

  /** The message a user acts on; a refused rollback says how to force it in this CLI's terms. */
  static String message(Exception e) {
    if (e instanceof RollbackRefusedException refused) {
      return refused.report().details() + (refused.forceWouldProceed()
          ? "\nAdd --force to roll back anyway: everything on disk is kept in a PRE_ROLLBACK checkpoint first." : "");
    }
    return e.getMessage();
  }

  /** Picocli's suggestions that are near misses of {@code typed}, the nearest only ('rolback': rollback). */
  static List<String> closest(String typed, List<String> suggestions) {
    String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
    int limit = Math.max(2, name.length() / 3);
    int best = suggestions.stream().mapToInt(s -> EditDistance.between(name, s)).min().orElse(Integer.MAX_VALUE);
    return best > limit ? List.of()
        : suggestions.stream().filter(s -> EditDistance.between(name, s) == best).distinct().toList();
  }

  private static boolean wantsJson(ParseResult parseResult) {
    ParseResult deepest = parseResult;
    while (deepest != null && deepest.hasSubcommand()) {
      deepest = deepest.subcommand();
    }
    return deepest != null && deepest.hasMatchedOption("--json");
  }

  /**
   * Arguments that look like options of {@code command} but are none of its (or its parents' inherited) options,
   * skipping values that follow an option taking one.
   */
  static List<String> unknownOptions(CommandLine command, String[] args) {
    Set<String> known = new TreeSet<>();
    Set<String> takesValue = new TreeSet<>();
    for (CommandSpec spec = command.getCommandSpec(); spec != null; spec = spec.parent()) {
      for (OptionSpec option : spec.options()) {
        known.addAll(List.of(option.names()));
        if (option.arity().max() > 0) {
          takesValue.addAll(List.of(option.names()));
        }
      }
    }
    List<String> unknown = new ArrayList<>();
    boolean valueNext = false;
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (valueNext) {
        valueNext = false;
        continue;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (known.contains(name)) {
        valueNext = takesValue.contains(name) && !arg.contains("=");
      } else if (arg.startsWith("-") && arg.length() > 1 && !arg.matches("-\\d.*")) {
        unknown.add(name);
      }
    }
    return unknown;
  }
}
