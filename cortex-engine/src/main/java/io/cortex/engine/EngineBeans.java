package io.cortex.engine;

import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.SpringBeanFactoryProxyMap;

/**
 * The engine configuration's beans (what expressions such as {@code ${cortexGate}} resolve against) with
 * Cortex's delegates added. An engine read from a {@code camunda.cfg.xml} has its Spring bean factory there
 * ({@link SpringBeanFactoryProxyMap}), which refuses new entries; Cortex's delegates then come first and the
 * factory's beans stay reachable behind them.
 */
final class EngineBeans {

  private EngineBeans() {
  }

  static Map<Object, Object> with(Map<Object, Object> beans, Map<String, Object> delegates) {
    if (beans == null) {
      return new HashMap<>(delegates);
    }
    if (beans instanceof SpringBeanFactoryProxyMap) {
      return new ReadThrough(delegates, beans);
    }
    beans.putAll(delegates);
    return beans;
  }

  /** Own entries first, then the bean factory's (the engine asks {@code containsKey}, then {@code get}). */
  private static final class ReadThrough extends HashMap<Object, Object> {

    private final transient Map<Object, Object> fallback;

    ReadThrough(Map<String, Object> own, Map<Object, Object> fallback) {
      super(own);
      this.fallback = fallback;
    }

    @Override
    public boolean containsKey(Object key) {
      return super.containsKey(key) || fallback.containsKey(key);
    }

    @Override
    public Object get(Object key) {
      return super.containsKey(key) ? super.get(key) : fallback.containsKey(key) ? fallback.get(key) : null;
    }
  }
}
