package io.cortex.cli;

import io.cortex.query.CatalogueReads;
import io.cortex.Cortex;
import java.io.PrintWriter;

/**
 * A command that only reads: it runs on a plain JDBC connection to the database when Cortex's tables are
 * there ({@link DirectDatabase}), without booting an engine; otherwise on an engine like any command.
 */
abstract class ReadOnlyCommand extends CliCommand {

  abstract void read(CatalogueReads reads, PrintWriter out) throws Exception;

  @Override
  final void run(Cortex cortex, PrintWriter out) throws Exception {
    read(cortex.reads(), out);
  }
}
