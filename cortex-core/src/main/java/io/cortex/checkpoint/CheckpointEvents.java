package io.cortex.checkpoint;

/** Told about every checkpoint right after its catalogue row is written, inside the same transaction. */
@FunctionalInterface
public interface CheckpointEvents {

  CheckpointEvents NONE = (checkpoint, actor) -> { };

  void created(Checkpoint checkpoint, String actor);
}
