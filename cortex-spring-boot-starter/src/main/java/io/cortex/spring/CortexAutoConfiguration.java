package io.cortex.spring;

import io.cortex.config.CortexConfig;
import io.cortex.engine.CortexProcessEnginePlugin;
import io.cortex.engine.EmbeddedEngine;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Cortex in any Spring Boot application that runs the Camunda starter (the Cortex server is one): the
 * {@link CortexProcessEnginePlugin} as a bean, which the starter adds to its engine, and the plugin's
 * delegates as beans of the names the BPMN uses ({@code ${cortexGate}}, …) — with Spring the engine
 * resolves expressions from the application context, not from the engine configuration's beans.
 *
 * <p>At start-up it deploys Cortex's processes and the operator's decision form ({@code cortex.deploy-processes},
 * on by default). Switch it all off with {@code cortex.enabled=false}. The configuration file comes from
 * {@code cortex.config} (see {@link CortexProperties}). The REST API is {@link io.cortex.spring.rest.CortexRestAutoConfiguration};
 * the Cockpit tab is a Cockpit plugin ({@link io.cortex.spring.cockpit.CortexCockpitPlugin}) that Cockpit finds by itself.
 */
@AutoConfiguration(beforeName = "org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration")
@ConditionalOnClass(ProcessEngine.class)
@ConditionalOnProperty(prefix = "cortex", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(CortexProperties.class)
public class CortexAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public CortexConfig cortexConfig(Environment environment) {
    return CortexSettings.config(environment);
  }

  @Bean
  @ConditionalOnMissingBean
  public CortexProcessEnginePlugin cortexProcessEnginePlugin(CortexConfig cortexConfig) {
    return new CortexProcessEnginePlugin(cortexConfig);
  }

  /** Deploys Cortex's processes and forms once the application has started (not without the plugin: they name its beans). */
  @Bean
  @ConditionalOnProperty(prefix = "cortex", name = "deploy-processes", havingValue = "true", matchIfMissing = true)
  public ApplicationRunner cortexProcessDeployment(ProcessEngine engine, ObjectProvider<CortexProcessEnginePlugin> plugin) {
    return args -> {
      if (plugin.getIfAvailable() != null) {
        EmbeddedEngine.deployWorkflows(engine);
      }
    };
  }

  @Bean
  public static DelegateBeans cortexDelegateBeans() {
    return new DelegateBeans();
  }

  /**
   * Registers the delegates of every {@link CortexProcessEnginePlugin} bean as singletons named as in the
   * BPMN, as soon as the plugin exists (before the engine is built from it). A bean the application defines
   * itself under such a name wins.
   */
  static final class DelegateBeans implements BeanPostProcessor, BeanFactoryAware {

    private ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
      if (bean instanceof CortexProcessEnginePlugin plugin) {
        plugin.services().delegates().forEach((name, delegate) -> {
          if (!beanFactory.containsBean(name)) {
            beanFactory.registerSingleton(name, delegate);
          }
        });
      }
      return bean;
    }
  }
}
