package io.cortex.daemon;

import io.cortex.base.CortexException;
import io.cortex.client.OwnerRecord;
import java.nio.file.Path;

/** Another process has the data directory's database open; says which and what to do. */
public final class DataDirectoryOwnedException extends CortexException {

  private final transient OwnerRecord owner;

  public DataDirectoryOwnedException(Path dataDir, OwnerRecord owner) {
    super("The database in " + dataDir + " is open in " + (owner == null ? "another process" : owner.describe())
        + ", and only one process may open it. " + whatToDo(owner));
    this.owner = owner;
  }

  public OwnerRecord owner() {
    return owner;
  }

  private static String whatToDo(OwnerRecord owner) {
    if (owner == null) {
      return "Wait for it to end, or stop it.";
    }
    return switch (owner.kind()) {
      case "daemon" -> "Run the command without --no-daemon (it goes to that process), or stop it first:"
          + " ./cortex daemon stop.";
      case "serve" -> "Run the command without --no-daemon (it goes to the server), or stop the server (Ctrl-C).";
      default -> "Wait for that call to finish.";
    };
  }
}
