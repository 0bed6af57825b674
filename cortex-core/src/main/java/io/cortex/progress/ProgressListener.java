package io.cortex.progress;

/**
 * Receives {@link ProgressEvent}s of long steps. Called on the thread doing the work, at most every few dozen
 * milliseconds per step (and once when it finishes): keep it quick and never throw.
 *
 * <pre>{@code
 * cortex.addProgressListener(e -> System.err.printf("%s: %d/%d files%n", e.step(), e.done(), e.total()));
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {

  ProgressListener NONE = event -> { };

  void onProgress(ProgressEvent event);
}
