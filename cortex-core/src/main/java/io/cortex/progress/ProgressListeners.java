package io.cortex.progress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The listeners of one engine; a listener that fails is ignored, since progress must never break the work. */
public final class ProgressListeners implements ProgressListener {

  private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();

  public void add(ProgressListener listener) {
    listeners.add(listener);
  }

  public void remove(ProgressListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void onProgress(ProgressEvent event) {
    for (ProgressListener listener : listeners) {
      try {
        listener.onProgress(event);
      } catch (RuntimeException e) {
        // progress is a courtesy: the checkpoint or rollback goes on
      }
    }
  }
}
