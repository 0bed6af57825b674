package io.cortex.git;

/** A checkpoint ref found in a repository: its session, checkpoint id and snapshot commit. */
public record CheckpointRef(String sessionId, String checkpointId, String commitId) {
}
