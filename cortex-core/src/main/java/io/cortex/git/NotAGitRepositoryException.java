package io.cortex.git;

import java.nio.file.Path;

/** The path given as a session's repository is not the work tree of a git repository. */
public class NotAGitRepositoryException extends GitException {

  public NotAGitRepositoryException(Path path, String why) {
    super("Not a git repository: " + path + " (" + why + "). "
        + "Pass the top-level folder of a git work tree (run 'git init' there first if it is new).");
  }

  private NotAGitRepositoryException(String message) {
    super(message);
  }

  /** The path is a bare repository: a git directory without a work tree, so there is nothing to checkpoint. */
  public static NotAGitRepositoryException bare(Path path) {
    return new NotAGitRepositoryException("Not a git work tree: " + path + " is a bare repository (it has no working"
        + " tree to checkpoint or roll back). Clone it ('git clone " + path + " <folder>') and pass the clone.");
  }

  /** The path is empty: it would silently mean the current directory. */
  public static NotAGitRepositoryException empty() {
    return new NotAGitRepositoryException("No repository given: the path is empty. Pass the repository's folder"
        + " ('.' for the current directory).");
  }
}
