package io.cortex.engine;

import io.cortex.observer.CortexObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The registered observers of one engine; a failing observer never breaks the work it observes. */
public final class Observers {

  private static final Logger LOG = Logger.getLogger(Observers.class.getName());

  private final List<CortexObserver> observers = new CopyOnWriteArrayList<>();

  public void add(CortexObserver observer) {
    observers.add(observer);
  }

  public void remove(CortexObserver observer) {
    observers.remove(observer);
  }

  public void notifyAll(Consumer<CortexObserver> event) {
    for (CortexObserver observer : observers) {
      try {
        event.accept(observer);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "CORTEX-ENGINE-001 Observer " + observer + " failed: " + e.getMessage(), e);
      }
    }
  }
}
