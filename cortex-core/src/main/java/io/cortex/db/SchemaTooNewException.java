package io.cortex.db;

import io.cortex.base.CortexException;

/** The Cortex tables were migrated by a newer Cortex than this one: this code refuses to start on them. */
public final class SchemaTooNewException extends CortexException {

  public SchemaTooNewException(String database, String databaseVersion, String codeVersion) {
    super("The Cortex tables in " + database + " are at schema version " + databaseVersion
        + ", written by a newer Cortex; this Cortex knows versions up to " + codeVersion
        + ". Nothing was changed. Run the newer Cortex on this database, or restore the backup taken before the"
        + " upgrade to go back to this one (docs/reliability.md, \"Schema migrations\").");
  }
}
