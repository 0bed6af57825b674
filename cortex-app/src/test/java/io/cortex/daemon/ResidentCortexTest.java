package io.cortex.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.client.DaemonAddress;
import io.cortex.client.OwnerRecord;
import io.cortex.daemon.Launcher.Result;
import io.cortex.testing.TempRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./cortex} command line as a user runs it: every call a new process through the real launcher, served
 * by the resident Cortex of the data directory, which the first call starts. One data directory for the class;
 * the tests run in order and stop every process they started.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResidentCortexTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path temp;

  private static Path data;
  private static Launcher launcher;
  private static TempRepo repo;

  @BeforeAll
  static void repository() {
    data = temp.resolve("data");
    launcher = new Launcher(data);
    repo = TempRepo.init(temp).write("README.md", "# app\n").commitAll("init");
  }

  @AfterAll
  static void noProcessLeftBehind() {
    launcher.stopResident(temp);
    assertThat(launcher.owner()).as("a process still has the data directory").isEmpty();
  }

  @Test
  @Order(1)
  void theFirstCallStartsTheResidentCortexAndEveryPathResolvesAgainstTheCallersDirectory() throws IOException {
    // when: the tour's first commands, from inside the repository with relative paths
    Result started = launcher.cortex(repo.dir(), "start", "tdd", "--repo", ".", "--session", "tdd-001");
    repo.write("src/App.java", "class App {}\n");
    Result created = launcher.cortex(repo.dir(), "checkpoint", "create", "--session", "tdd-001", "--id", "by-hand");
    Result exported = launcher.cortex(repo.dir(), "export", "--session", "tdd-001", "--out", "out/seed.json");

    // then
    assertThat(started.exit()).as("%s", started).isZero();
    assertThat(started.out()).contains("Started tdd session tdd-001 on " + repo.dir(), "Waiting in phase: RED");
    assertThat(created.exit()).as("%s", created).isZero();
    assertThat(created.out()).startsWith("Checkpoint by-hand (USER_REQUESTED) -> ");
    assertThat(created.err()).isEmpty();
    assertThat(exported.exit()).as("%s", exported).isZero();
    assertThat(repo.dir().resolve("out/seed.json")).as("--out relative to the caller's directory").exists();
    assertThat(repo.git("for-each-ref", "--format=%(refname)", "refs/cortex"))
        .contains("refs/cortex/checkpoints/tdd-001/by-hand");
    OwnerRecord owner = launcher.owner().orElseThrow();
    assertThat(owner.kind()).isEqualTo("daemon");
    assertThat(owner.pid()).isNotEqualTo(ProcessHandle.current().pid());
  }

  @Test
  @Order(2)
  void laterCallsGoToTheSameProcessWithTheSameOutputsAndExitCodes() throws IOException {
    long pid = launcher.owner().orElseThrow().pid();

    Result json = launcher.cortex(temp, "checkpoints", "--session", "tdd-001", "--json");
    Result unknown = launcher.cortex(temp, "status", "--session", "no-such-session");
    Result usage = launcher.cortex(temp, "checkpoints", "--session", "tdd-001", "--no-such-option");
    Result status = launcher.cortex(temp, "daemon", "status");

    assertThat(json.exit()).as("%s", json).isZero();
    JsonNode list = JSON.readTree(json.out());
    assertThat(list.findValuesAsText("checkpoint_id")).containsExactly("session-start", "by-hand");
    assertThat(unknown.exit()).as("%s", unknown).isEqualTo(1);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err().lines().toList()).singleElement().satisfies(line ->
        assertThat(line).startsWith("cortex: ").contains("no-such-session"));
    assertThat(usage.exit()).as("%s", usage).isEqualTo(2);
    assertThat(usage.err()).startsWith("cortex: Unknown option: '--no-such-option'");
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("Resident Cortex pid " + pid + " serves " + data, "database  ok",
        DaemonAddress.of(data).log().toString());
    assertThat(launcher.owner().orElseThrow().pid()).as("the same resident process").isEqualTo(pid);
  }

  @Test
  @Order(3)
  void theSocketIsTheOwnersAloneAndNothingListensOnANetworkPort() throws IOException {
    long pid = launcher.owner().orElseThrow().pid();
    DaemonAddress address = DaemonAddress.of(data);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(address.directory()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(address.socket()))).isEqualTo("rw-------");
    assertThat(listeningTcpSockets(pid)).as("TCP ports the resident process listens on").isEmpty();
  }

  @Test
  @Order(4)
  void aSecondProcessNeverOpensTheDatabaseItSaysWhichProcessHasIt() {
    long pid = launcher.owner().orElseThrow().pid();

    Result inProcess = launcher.cortex(temp, "--no-daemon", "checkpoints", "--session", "tdd-001");

    assertThat(inProcess.exit()).as("%s", inProcess).isEqualTo(1);
    assertThat(inProcess.err()).startsWith("cortex: The database in " + data + " is open in pid " + pid
        + " (the resident Cortex").contains("./cortex daemon stop");
  }

  @Test
  @Order(5)
  void aKilledResidentProcessIsReplacedByTheNextCall() throws Exception {
    // given
    ProcessHandle resident = ProcessHandle.of(launcher.owner().orElseThrow().pid()).orElseThrow();

    // when: kill -9
    new ProcessBuilder("kill", "-9", Long.toString(resident.pid())).start().waitFor();
    resident.onExit().get(60, TimeUnit.SECONDS);
    Result created = launcher.cortex(temp, "checkpoint", "create", "--session", "tdd-001", "--id", "after-kill");

    // then
    assertThat(created.exit()).as("%s", created).isZero();
    assertThat(launcher.owner().orElseThrow().pid()).isNotEqualTo(resident.pid());
    assertThat(launcher.cortex(temp, "checkpoints", "--session", "tdd-001").out()).contains("after-kill");
  }

  @Test
  @Order(6)
  void daemonStopLeavesNoProcessAndTheNextCallStartsANewOne() throws Exception {
    ProcessHandle resident = ProcessHandle.of(launcher.owner().orElseThrow().pid()).orElseThrow();

    Result stopped = launcher.cortex(temp, "daemon", "stop");
    Result again = launcher.cortex(temp, "daemon", "stop");

    assertThat(stopped.exit()).as("%s", stopped).isZero();
    assertThat(stopped.out()).contains("Stopped the resident Cortex (pid " + resident.pid() + ")");
    assertThat(resident.isAlive()).isFalse();
    assertThat(DaemonAddress.of(data).socket()).doesNotExist();
    assertThat(again.out()).contains("No resident Cortex for " + data);
    assertThat(Files.exists(data.resolve("backup/cortex-last-good.zip"))).as("a last good copy at the stop").isTrue();
    assertThat(Files.exists(data.resolve("high-water-mark.properties"))).isTrue();
  }

  /** The TCP sockets (v4 and v6) in LISTEN state among the process's open files, from /proc. */
  static List<String> listeningTcpSockets(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException ignored) {
          // closed meanwhile
        }
      });
    }
    List<String> listening = new java.util.ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
          listening.add(table + " " + f[1]);
        }
      }
    }
    return listening;
  }
}
