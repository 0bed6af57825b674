package io.cortex.git;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Tells JGit where git's system-wide config file is, so that JGit does not ask git.
 *
 * <p>On first use JGit finds the system config ({@code /etc/gitconfig} on Linux) by running two git processes,
 * {@code git --version} and {@code git config --system --show-origin --list -z}: tens of milliseconds, and more in a
 * JVM with a large heap, on the first repository a new JVM opens. The answer is known without them where git is
 * installed the standard way: git looks for {@code $GIT_CONFIG_SYSTEM}, else {@code <sysconfdir>/gitconfig}, and a
 * git built with prefix {@code /usr} (every Linux distribution's package) has {@code sysconfdir=/etc}; one with
 * another prefix (e.g. {@code /usr/local}, Homebrew's {@code /opt/homebrew}) has {@code <prefix>/etc}. So:
 * <ul>
 *   <li>{@code GIT_CONFIG_NOSYSTEM} set: nothing to do (JGit reads no system config);</li>
 *   <li>{@code GIT_CONFIG_SYSTEM} set: that file (git 2.32+; JGit itself does not know the variable);</li>
 *   <li>git found on the {@code PATH} as {@code /usr/bin/git} or {@code /bin/git}: {@code /etc/gitconfig}, whether
 *       it exists or not (an absent file is an empty config to git too);</li>
 *   <li>as {@code <prefix>/bin/git} with an existing {@code <prefix>/etc/gitconfig}: that file.</li>
 * </ul>
 * In every other case (Windows, an unusual layout, no git on the {@code PATH}) JGit's own discovery runs as before,
 * so the system config is never silently dropped: it can hold {@code core.autocrlf}, {@code core.excludesFile} and
 * the like, which decide what a snapshot contains.
 */
final class SystemGitConfig {

  private static volatile boolean installed;

  private SystemGitConfig() {
  }

  /** Once per JVM, before the first repository is opened. */
  static void install() {
    if (installed) {
      return;
    }
    synchronized (SystemGitConfig.class) {
      if (!installed) {
        locate(SystemReader.getInstance()::getenv).ifPresent(FS.DETECTED::setGitSystemConfig);
        installed = true;
      }
    }
  }

  /** The system config file git would read, when it can be told without running git. */
  static Optional<File> locate(UnaryOperator<String> env) {
    if (!isEmpty(env.apply("GIT_CONFIG_NOSYSTEM")) || File.separatorChar != '/') {
      return Optional.empty();
    }
    String explicit = env.apply("GIT_CONFIG_SYSTEM");
    if (!isEmpty(explicit)) {
      return Optional.of(new File(explicit));
    }
    String path = env.apply("PATH");
    if (isEmpty(path)) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path git = Path.of(dir, "git");
      if (Files.isRegularFile(git) && Files.isExecutable(git)) {
        return forGitAt(Path.of(dir).toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }

  /** The first git on the PATH lives in {@code bin}: the system config by git's build defaults, if certain. */
  private static Optional<File> forGitAt(Path bin) {
    if (!"bin".equals(String.valueOf(bin.getFileName()))) {
      return Optional.empty();
    }
    Path prefix = bin.getParent();
    if (prefix == null || prefix.equals(Path.of("/")) || prefix.equals(Path.of("/usr"))) {
      return Optional.of(new File("/etc/gitconfig"));
    }
    Path config = prefix.resolve("etc").resolve("gitconfig");
    return Files.isRegularFile(config) ? Optional.of(config.toFile()) : Optional.empty();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
