package io.cortex.db;

import io.cortex.base.CortexException;

/**
 * A command would write to a database that is behind its {@link HighWaterMark}: refused, with what happened and
 * how to recover.
 */
public final class DatabaseWentBackException extends CortexException {

  public DatabaseWentBackException(String problem, java.nio.file.Path dataDir) {
    super(problem + " Cortex refuses to write to it; reading still works. Recover (docs/reliability.md, \"When the"
        + " database went back\"): restore the last good copy — './cortex daemon stop', then unzip "
        + dataDir.resolve("backup").resolve("cortex-last-good.zip") + " into " + dataDir + " — or keep this"
        + " database and rebuild the catalogue from the checkpoint refs: delete " + dataDir.resolve(HighWaterMark.FILE_NAME)
        + ", then './cortex rebuild --repo <each repository>'.");
  }
}
