package io.cortex.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Creates a small new repository with one commit — for the demo, never for a user's repository. */
public final class ScratchRepository {

  private ScratchRepository() {
  }

  public static Path create(Path dir, Map<String, String> files, String message) {
    SystemGitConfig.install();
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path path = dir.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
      git.add().addFilepattern(".").call();
      PersonIdent demo = new PersonIdent("Cortex Demo", "demo@localhost");
      git.commit().setAuthor(demo).setCommitter(demo).setMessage(message).setSign(false).call();
      return dir;
    } catch (IOException | GitAPIException e) {
      throw new GitException("Could not create the scratch repository " + dir + ": " + e.getMessage(), e);
    }
  }
}
