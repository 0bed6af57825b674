package io.cortex.progress;

import java.nio.file.Path;

/**
 * How far a long step in one repository has come: files scanned for a checkpoint, files written by a rollback.
 *
 * @param repository the work tree the step works on: operations on one repository run one at a time (its lock),
 *     so a listener that follows one command filters on it
 * @param step what is done, e.g. "Scanning files"
 * @param done units (files) done so far
 * @param total units expected, or -1 when not known in advance (it may also be passed: an estimate)
 * @param bytes bytes read or written so far
 * @param finished whether this is the step's last event
 */
public record ProgressEvent(Path repository, String step, long done, long total, long bytes, boolean finished) {
}
