package io.cortex.git;

import java.nio.file.Path;

/** The path given as a session's repository is not the work tree of a git repository. */
public class NotAGitRepositoryException extends GitException {

  public NotAGitRepositoryException(Path path, String why) {
    super("Not a git repository: " + path + " (" + why + "). "
        + "Pass the top-level folder of a git work tree (run 'git init' there first if it is new).");
  }
}
