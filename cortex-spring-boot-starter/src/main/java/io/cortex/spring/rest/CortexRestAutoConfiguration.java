package io.cortex.spring.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.spring.CortexAutoConfiguration;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The Cortex REST API under {@code /cortex-rest} in a servlet web application with Camunda's webapp starter (its
 * login session and CSRF protection are the API's second way in, for the Cockpit tab): the resources, their error
 * handling and their authentication. Switch it off with {@code cortex.rest.enabled=false}.
 */
@AutoConfiguration(after = CortexAutoConfiguration.class,
    afterName = "org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.camunda.bpm.webapp.impl.security.filter.CsrfPreventionFilter")
@ConditionalOnBean(ProcessEngine.class)
@ConditionalOnProperty(prefix = "cortex.rest", name = "enabled", havingValue = "true", matchIfMissing = true)
public class CortexRestAutoConfiguration {

  @Bean
  CortexRestController cortexRestController(ProcessEngine engine, ObjectMapper json) {
    return new CortexRestController(engine, json);
  }

  @Bean
  RestErrors cortexRestErrors() {
    return new RestErrors();
  }

  @Bean
  RestRoutingErrors cortexRestRoutingErrors() {
    return new RestRoutingErrors();
  }

  /** HTTP Basic or the Cockpit login session (with Camunda's CSRF protection) for the Cortex REST API. */
  @Bean
  FilterRegistrationBean<RestAuthFilter> cortexRestAuthentication(ProcessEngine engine, ObjectMapper json,
                                                                  CamundaBpmProperties camunda) {
    FilterRegistrationBean<RestAuthFilter> registration = new FilterRegistrationBean<>(new RestAuthFilter(engine, json));
    registration.setName("cortex-rest-authentication");
    registration.addUrlPatterns(CortexRestController.BASE + "/*");
    // The webapp's CSRF settings (cookie name, SameSite, …), so the token Cockpit holds is valid here too.
    registration.setInitParameters(camunda.getWebapp().getCsrf().getInitParams());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    return registration;
  }
}
