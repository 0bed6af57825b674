package com.example.cortexsample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Camunda 7 application that added Cortex: nothing here is about Cortex, the starter brings it. Its own settings
 * (application.yaml, logging included) stay its own.
 */
@SpringBootApplication
public class SampleApplication {

  private static final Logger LOG = LoggerFactory.getLogger(SampleApplication.class);

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  /** A DEBUG line of the application's own: it shows only because application.yaml says so. */
  @Bean
  ApplicationRunner announceReady() {
    return args -> LOG.debug("sample application ready");
  }
}
