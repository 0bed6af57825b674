package io.cortex.spring.cockpit;

import java.util.Set;
import org.camunda.bpm.cockpit.plugin.spi.impl.AbstractCockpitPlugin;

/**
 * The "Checkpoints" tab of Cockpit's process instance view, as a Cockpit plugin: Cockpit finds it through
 * {@code META-INF/services/org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin} and loads its script from
 * {@code plugin-webapp/cortex/app/plugin.js} on the class path (served at
 * {@code /camunda/api/cockpit/plugin/cortex/static/app/plugin.js}). Nothing of the host's own Cockpit configuration
 * is replaced. The tab talks to the Cortex REST API ({@code /cortex-rest}).
 */
public class CortexCockpitPlugin extends AbstractCockpitPlugin {

  public static final String ID = "cortex";

  @Override
  public String getId() {
    return ID;
  }

  @Override
  public Set<Class<?>> getResourceClasses() {
    return Set.of(CortexCockpitPluginRootResource.class);
  }

  @Override
  public String getAssetDirectory() {
    return "plugin-webapp/" + ID;
  }
}
