package io.cortex.cli;

import io.cortex.query.CatalogueReads;
import io.cortex.Cortex;
import java.io.PrintWriter;

/** A command that only reads the catalogue: it runs even on a database that went back (see {@code HighWaterMark}). */
abstract class ReadOnlyCommand extends CliCommand {

  abstract void read(CatalogueReads reads, PrintWriter out) throws Exception;

  @Override
  boolean writes() {
    return false;
  }

  @Override
  final void run(Cortex cortex, PrintWriter out) throws Exception {
    read(cortex.reads(), out);
  }
}
