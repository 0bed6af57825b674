package io.cortex.spring.cockpit;

import jakarta.ws.rs.Path;
import org.camunda.bpm.cockpit.plugin.resource.AbstractCockpitPluginRootResource;

/**
 * The plugin's root under Cockpit's plugin API ({@code /camunda/api/cockpit/plugin/cortex}); Camunda's base class
 * serves the plugin's assets from it ({@code …/static/app/plugin.js}). Cortex's data comes from {@code /cortex-rest}.
 */
@Path("plugin/" + CortexCockpitPlugin.ID)
public class CortexCockpitPluginRootResource extends AbstractCockpitPluginRootResource {

  public CortexCockpitPluginRootResource() {
    super(CortexCockpitPlugin.ID);
  }
}
