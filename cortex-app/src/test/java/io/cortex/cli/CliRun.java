package io.cortex.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ./cortex} in-process on a data directory and captures everything it prints. */
final class CliRun {

  private CliRun() {
  }

  /**
   * What a call printed: {@code out} and {@code err} are the CLI's writers; {@code processErr} is what
   * anything else (the engine's logging) wrote to the process's standard error meanwhile, which a user
   * of {@code ./cortex} sees on the same terminal.
   */
  record Result(int exit, String out, String err, String processErr) {
    @Override
    public String toString() {
      return "[exit " + exit + ", stdout '" + out.strip() + "', stderr '" + err.strip() + "']";
    }
  }

  /** One {@code ./cortex} call on the data directory {@code dataDir}. */
  static Result cortex(Path dataDir, String... args) {
    List<String> full = new ArrayList<>(List.of("--data", dataDir.toString()));
    full.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream processErr = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    int exit;
    System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
    try {
      exit = CortexCli.run(full.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    } finally {
      System.setErr(originalErr);
    }
    String logged = processErr.toString(StandardCharsets.UTF_8);
    originalErr.print(logged);
    return new Result(exit, out.toString(), err.toString(), logged);
  }

}
