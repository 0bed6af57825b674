package io.cortex.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random edits, adds, deletes, renames, mode changes, binaries, symlinks and commits over several
 * checkpoints; then a rollback to a random one and an undo. Whatever the history: after the
 * rollback the working tree is the snapshot byte for byte, ignored files are untouched, and
 * after the undo the working tree is exactly what it was before the rollback.
 */
class RollbackPropertyTest {

  private static Cortex cortex;

  @TempDir
  Path temp;

  @BeforeAll
  static void startEngine() {
    cortex = TestEngines.cortex();
  }

  @AfterAll
  static void stopEngine() {
    cortex.engine().close();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void rollbackRestoresTheSnapshotAndUndoRestoresEverything(long seed) throws Exception {
    // given
    Random random = new Random(seed);
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "*.log\nbuild/\n");
    for (int i = 0; i < 6; i++) {
      repo.write("src/file" + i + ".txt", "line " + i + "\n");
    }
    repo.commitAll("init");
    String session = "prop-" + seed;
    cortex.startSession(Workflow.PLANNING, session, repo.dir());
    Map<String, String> expectedTrees = new HashMap<>();
    for (int step = 1; step <= 4; step++) {
      for (int n = 0; n < 1 + random.nextInt(6); n++) {
        mutate(repo, random);
      }
      String id = "step-" + step;
      expectedTrees.put(id, repo.nativeSnapshotTree());
      cortex.createCheckpoint(session, id, Map.of("step", step));
    }
    for (int n = 0; n < 1 + random.nextInt(4); n++) {
      mutate(repo, random);
    }
    List<String> targets = new ArrayList<>(expectedTrees.keySet());
    targets.sort(String::compareTo);
    String target = targets.get(random.nextInt(targets.size()));
    Map<String, String> before = DiskState.workingTree(repo.dir());

    // when
    RollbackResult result = cortex.rollback(session, target, true);

    // then
    assertThat(repo.nativeSnapshotTree()).as("working tree equals snapshot %s", target).isEqualTo(expectedTrees.get(target));
    assertThat(ignored(DiskState.workingTree(repo.dir()))).as("ignored files untouched").isEqualTo(ignored(before));
    Checkpoint targetCheckpoint = cortex.checkpoint(session, target);
    assertThat(repo.git("rev-parse", "HEAD").trim()).isEqualTo(targetCheckpoint.baseCommit());
    assertThat(result.preRollback().type()).isEqualTo(io.cortex.checkpoint.CheckpointType.PRE_ROLLBACK);

    // when
    cortex.undo(session, false);

    // then
    assertThat(DiskState.workingTree(repo.dir())).as("undo restores every byte").isEqualTo(before);
    assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
  }

  private static Map<String, String> ignored(Map<String, String> state) {
    return state.entrySet().stream().filter(e -> e.getKey().endsWith(".log") || e.getKey().startsWith("build/"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static void mutate(TempRepo repo, Random random) throws IOException {
    List<Path> files = listFiles(repo.dir());
    Path some = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
    String rel = some == null ? null : repo.dir().relativize(some).toString();
    switch (random.nextInt(10)) {
      case 0 -> repo.write("src/new" + random.nextInt(1000) + ".txt", "new " + random.nextInt() + "\n");
      case 1 -> {
        if (rel != null) {
          repo.write(rel, "edited " + random.nextInt() + "\n");
        }
      }
      case 2 -> {
        if (some != null) {
          Files.delete(some);
        }
      }
      case 3 -> {
        if (some != null) {
          Path to = repo.dir().resolve("moved/" + some.getFileName() + random.nextInt(100));
          Files.createDirectories(to.getParent());
          Files.move(some, to);
        }
      }
      case 4 -> {
        if (some != null && !Files.isSymbolicLink(some)) {
          boolean exec = Files.isExecutable(some);
          Files.setPosixFilePermissions(some, PosixFilePermissions.fromString(exec ? "rw-r--r--" : "rwxr-xr-x"));
        }
      }
      case 5 -> {
        byte[] bytes = new byte[1 + random.nextInt(2048)];
        random.nextBytes(bytes);
        repo.write("bin/blob" + random.nextInt(50) + ".bin", bytes);
      }
      case 6 -> {
        if (rel != null) {
          Path link = repo.dir().resolve("links/l" + random.nextInt(20));
          Files.createDirectories(link.getParent());
          Files.deleteIfExists(link);
          Files.createSymbolicLink(link, Path.of("../" + rel));
        }
      }
      case 7 -> repo.write("debug" + random.nextInt(3) + ".log", "log " + random.nextInt() + "\n");
      case 8 -> repo.write("build/out" + random.nextInt(3) + ".class", "class " + random.nextInt());
      default -> {
        repo.git("add", "-A");
        repo.git("commit", "-q", "--allow-empty", "-m", "commit " + random.nextInt());
      }
    }
  }

  private static List<Path> listFiles(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      return paths.filter(p -> !root.relativize(p).toString().startsWith(".git"))
          .filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
          .filter(p -> !p.toString().endsWith(".log") && !root.relativize(p).toString().startsWith("build/"))
          .sorted().toList();
    }
  }
}
