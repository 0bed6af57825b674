package io.cortex.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where git's system config is, told without running git — or left to JGit's own discovery when not certain. */
class SystemGitConfigTest {

  @TempDir
  Path temp;

  @Test
  void gitInUsrBinReadsEtcGitconfigLikeEveryDistributionsPackage() throws IOException {
    // given
    Path usrBin = fakeGit(temp.resolve("usr/bin"));

    // when
    Optional<File> found = SystemGitConfig.locate(env(Map.of("PATH", "/nowhere:" + usrBin)));

    // then: only the path decides: <temp>/usr is not /usr, so <temp>/usr/etc/gitconfig would be needed
    assertThat(found).isEmpty();
    assertThat(SystemGitConfig.locate(env(Map.of("PATH", "/usr/bin"))))
        .isEqualTo(Files.isExecutable(Path.of("/usr/bin/git")) ? Optional.of(new File("/etc/gitconfig")) : Optional.empty());
  }

  @Test
  void gitUnderAnotherPrefixReadsThatPrefixsEtcGitconfigWhenItExists() throws IOException {
    // given: a git built with prefix <temp>/opt (Homebrew-like), with its system config
    Path bin = fakeGit(temp.resolve("opt/bin"));
    Path config = Files.createDirectories(temp.resolve("opt/etc")).resolve("gitconfig");
    Files.writeString(config, "[core]\n\tautocrlf = input\n");

    // when / then
    assertThat(SystemGitConfig.locate(env(Map.of("PATH", bin.toString())))).contains(config.toFile());
  }

  @Test
  void anUncertainLayoutIsLeftToJGitsOwnDiscovery() throws IOException {
    // given: git not in a 'bin' directory, and a prefix without etc/gitconfig
    Path odd = fakeGit(temp.resolve("tools/git-2.45"));
    Path bare = fakeGit(temp.resolve("local/bin"));

    // when / then
    assertThat(SystemGitConfig.locate(env(Map.of("PATH", odd.toString())))).isEmpty();
    assertThat(SystemGitConfig.locate(env(Map.of("PATH", bare.toString())))).isEmpty();
    assertThat(SystemGitConfig.locate(env(Map.of()))).isEmpty();
  }

  @Test
  void gitsOwnVariablesWin() {
    // when / then
    assertThat(SystemGitConfig.locate(env(Map.of("GIT_CONFIG_SYSTEM", "/srv/gitconfig", "PATH", "/usr/bin"))))
        .contains(new File("/srv/gitconfig"));
    assertThat(SystemGitConfig.locate(env(Map.of("GIT_CONFIG_NOSYSTEM", "1", "PATH", "/usr/bin")))).isEmpty();
  }

  private static java.util.function.UnaryOperator<String> env(Map<String, String> variables) {
    return variables::get;
  }

  private static Path fakeGit(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path git = dir.resolve("git");
    Files.writeString(git, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }
}
