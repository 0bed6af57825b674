package io.cortex.reliability;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.SnapshotMessage;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The invariants every reliability test checks after its run, with git itself as the judge where it can be:
 * catalogue rows and checkpoint refs agree one to one, {@code git fsck} finds nothing, every ref's commit
 * carries metadata that parses and hashes to its row's integrity hash, and sequences are unique.
 */
final class Consistency {

  private Consistency() {
  }

  /** Every inconsistency found between a session's rows and its repository; empty when all is well. */
  static List<String> problems(Path repository, String sessionId, List<Checkpoint> rows) {
    List<String> problems = new ArrayList<>();
    Map<String, String> refs = refs(repository, sessionId);
    Map<String, String> byRow = new TreeMap<>();
    Set<Long> sequences = new HashSet<>();
    for (Checkpoint row : rows) {
      if (byRow.put(row.checkpointId(), row.snapshotCommit()) != null) {
        problems.add("two rows for " + row.checkpointId());
      }
      if (!sequences.add(row.sequence())) {
        problems.add("sequence " + row.sequence() + " used twice (" + row.checkpointId() + ")");
      }
    }
    if (!byRow.equals(refs)) {
      Set<String> onlyRows = new java.util.TreeSet<>(byRow.keySet());
      onlyRows.removeAll(refs.keySet());
      Set<String> onlyRefs = new java.util.TreeSet<>(refs.keySet());
      onlyRefs.removeAll(byRow.keySet());
      List<String> differing = byRow.keySet().stream()
          .filter(id -> refs.containsKey(id) && !refs.get(id).equals(byRow.get(id))).toList();
      problems.add("rows and refs differ: rows without ref " + onlyRows + ", refs without row " + onlyRefs
          + ", pointing elsewhere " + differing);
    }
    try (GitWorkspace git = GitWorkspace.open(repository)) {
      for (Checkpoint row : rows) {
        try {
          Checkpoint parsed = SnapshotMessage.parse(git.commitMessage(row.snapshotCommit()), row.snapshotCommit());
          if (!parsed.integrityHash().equals(row.integrityHash())) {
            problems.add(row.checkpointId() + ": the metadata in its commit does not match its row");
          }
        } catch (RuntimeException e) {
          problems.add(row.checkpointId() + ": commit " + row.snapshotCommit() + " unreadable: " + e.getMessage());
        }
      }
    }
    Run fsck = run(repository, "git", "fsck", "--no-dangling", "--full");
    String said = (fsck.out + fsck.err).toLowerCase(java.util.Locale.ROOT);
    if (fsck.exit != 0 || said.contains("error") || said.contains("broken") || said.contains("missing")
        || said.contains("bad") || said.contains("invalid")) {
      problems.add("git fsck: exit " + fsck.exit + ": " + fsck.out + fsck.err);
    }
    return problems;
  }

  /** checkpoint id -> commit of the session's refs, as native git lists them. */
  static Map<String, String> refs(Path repository, String sessionId) {
    String prefix = CheckpointRefs.sessionPrefix(sessionId);
    Run run = run(repository, "git", "for-each-ref", "--format=%(refname) %(objectname)", prefix);
    Map<String, String> refs = new TreeMap<>();
    run.out.lines().filter(l -> !l.isBlank()).forEach(line -> {
      String[] parts = line.split(" ");
      refs.put(parts[0].substring(prefix.length()), parts[1]);
    });
    return refs;
  }

  record Run(int exit, String out, String err) {
  }

  static Run run(Path dir, String... command) {
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish");
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
