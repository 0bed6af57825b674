package io.cortex.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cortex.base.CortexException;
import io.cortex.base.Json;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitException;
import io.cortex.git.GitWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Export and import of a session's checkpoints in the seed's JSON format. Import checks the
 * whole file first and writes nothing if any entry is bad; entries already present with the
 * same commit are skipped, so importing twice is harmless.
 */
public final class SeedTransfer {

  private SeedTransfer() {
  }

  public static SeedFile toSeed(Session session, List<Checkpoint> checkpoints) {
    return new SeedFile(session.sessionId(), session.createdAt().truncatedTo(ChronoUnit.MILLIS).toString(),
        checkpoints.stream().map(SeedFile.Entry::of).toList());
  }

  public static void write(SeedFile seed, Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.writeString(target, Json.writePretty(seed) + "\n");
    } catch (IOException e) {
      throw new CortexException("Could not write " + target + ": " + e.getMessage(), e);
    }
  }

  public static SeedFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CortexException("Cannot import " + file + ": no such file");
    }
    SeedFile seed;
    try {
      seed = Json.MAPPER.readValue(Files.readString(file), SeedFile.class);
    } catch (JsonProcessingException e) {
      throw new CortexException("Cannot import " + file + ": not a checkpoint file (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new CortexException("Cannot import " + file + ": " + e.getMessage(), e);
    }
    if (seed == null || seed.sessionId() == null) {
      throw new CortexException("Cannot import " + file + ": 'session_id' is missing");
    }
    Ids.requireValidSessionId(seed.sessionId());
    if (seed.checkpoints() == null) {
      throw new CortexException("Cannot import " + file + ": 'checkpoints' is missing");
    }
    return seed;
  }

  /** The number of checkpoints imported (entries already present are not counted). */
  public static int importInto(Catalogue catalogue, SeedFile seed, Path repository, Instant now) {
    String sessionId = seed.sessionId();
    Session session = catalogue.session(sessionId).orElse(null);
    Path repo = session != null ? session.repository() : repository;
    if (repo == null) {
      throw new CortexException("Session " + sessionId + " is not known here; give the repository it belongs to (--repo PATH)");
    }
    try (GitWorkspace git = GitWorkspace.open(repo)) {
      List<Checkpoint> toImport = validate(catalogue, seed, git);
      if (session == null) {
        catalogue.insertSession(new Session(sessionId, null, null, git.workTree(), parseTime(seed.createdAt(), now)));
      }
      List<Checkpoint> rows = catalogue.checkpoints(sessionId);
      long sequence = UnlistedRefs.of(git, sessionId, rows).nextSequence(rows, ref -> false);
      for (Checkpoint planned : toImport) {
        Checkpoint draft = new Checkpoint(sessionId, planned.checkpointId(), sequence++, planned.type(), planned.phase(),
            null, null, planned.baseCommit() != null ? planned.baseCommit() : planned.snapshotCommit(), "", null,
            planned.createdAt(), planned.metrics(), List.of(), null);
        // A seed checkpoint names a plain commit; wrap its tree in a snapshot commit carrying
        // the metadata, so every checkpoint ref can be rebuilt the same way.
        String commit = snapshotFor(git, draft, planned.snapshotCommit());
        Checkpoint checkpoint = SnapshotMessage.withHash(new Checkpoint(sessionId, draft.checkpointId(), draft.sequence(),
            draft.type(), draft.phase(), null, null, draft.baseCommit(), commit, null, draft.createdAt(),
            draft.metrics(), List.of(), null));
        git.writeRef(CheckpointRefs.refName(sessionId, checkpoint.checkpointId()), commit, true);
        catalogue.insert(checkpoint);
      }
      return toImport.size();
    }
  }

  private static List<Checkpoint> validate(Catalogue catalogue, SeedFile seed, GitWorkspace git) {
    List<Checkpoint> result = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int index = 0;
    for (SeedFile.Entry e : seed.checkpoints()) {
      String where = "checkpoints[" + index++ + "]";
      if (e == null || e.checkpointId() == null || !Ids.isValid(e.checkpointId())) {
        problems.add(where + ": invalid checkpoint_id '" + (e == null ? null : e.checkpointId()) + "' (" + Ids.RULE + ")");
        continue;
      }
      if (!seen.add(e.checkpointId())) {
        problems.add(where + ": checkpoint_id '" + e.checkpointId() + "' appears twice");
        continue;
      }
      if (e.commitSha() == null || !e.commitSha().matches("[0-9a-fA-F]{4,64}")) {
        problems.add(where + ": commit_sha '" + e.commitSha() + "' is not a commit id");
        continue;
      }
      CheckpointType type;
      try {
        type = e.type() != null ? CheckpointType.valueOf(e.type().toUpperCase(Locale.ROOT))
            : e.phase() != null ? CheckpointType.PHASE_END : CheckpointType.USER_REQUESTED;
      } catch (IllegalArgumentException ex) {
        problems.add(where + ": unknown type '" + e.type() + "'");
        continue;
      }
      String commit;
      try {
        commit = git.treeOfCommit(e.commitSha()).baseCommit();
      } catch (GitException ex) {
        problems.add(where + ": commit " + e.commitSha() + " is not in " + git.workTree());
        continue;
      }
      Checkpoint existing = catalogue.checkpoint(seed.sessionId(), e.checkpointId()).orElse(null);
      if (existing != null) {
        if (!sameTree(git, existing.snapshotCommit(), commit)) {
          problems.add(where + ": checkpoint '" + e.checkpointId() + "' exists already with another commit ("
              + existing.shortSnapshot() + ")");
        }
        continue; // already imported
      }
      Instant created = parseTime(e.createdAt(), null);
      if (created == null) {
        problems.add(where + ": created_at '" + e.createdAt() + "' is not an ISO-8601 time");
        continue;
      }
      String base = e.baseSha() != null ? e.baseSha() : null;
      result.add(new Checkpoint(seed.sessionId(), e.checkpointId(), 0, type, e.phase(), null, null, base, commit, null,
          created, e.metrics(), List.of(), null));
    }
    if (!problems.isEmpty()) {
      throw new CortexException("Cannot import session " + seed.sessionId() + " (" + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + ", nothing imported):\n  - " + String.join("\n  - ", problems));
    }
    return result;
  }

  private static boolean sameTree(GitWorkspace git, String a, String b) {
    return a.equals(b) || git.treeOfCommit(a).treeId().equals(git.treeOfCommit(b).treeId());
  }

  /** The commit itself if it is already this checkpoint's Cortex snapshot, else a new snapshot wrapping its tree. */
  private static String snapshotFor(GitWorkspace git, Checkpoint draft, String commit) {
    try {
      Checkpoint existing = SnapshotMessage.parse(git.commitMessage(commit), commit);
      if (existing.sessionId().equals(draft.sessionId()) && existing.checkpointId().equals(draft.checkpointId())) {
        return commit;
      }
    } catch (CortexException notASnapshot) {
      // a plain commit, as the seed's tools record them
    }
    return git.commitSnapshot(git.treeOfCommit(commit), SnapshotMessage.format(draft), draft.createdAt());
  }

  private static Instant parseTime(String text, Instant fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
      } catch (DateTimeParseException e2) {
        return fallback;
      }
    }
  }
}
