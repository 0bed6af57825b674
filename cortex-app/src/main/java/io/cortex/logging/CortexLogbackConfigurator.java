package io.cortex.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging of every plain JVM that runs Cortex (the CLI, a cold checkpoint, the tests): libraries speak up only
 * when something is wrong (root at {@code WARN}), one line each on standard error, in the format
 * {@code HH:mm:ss.SSS LEVEL logger - message} of {@link CompactLayout}. The CLI prints its own results.
 *
 * <p>Configured in code rather than by a {@code logback.xml} because parsing XML with Joran and building a
 * {@code PatternLayout} was about a quarter of a second of every new JVM (a CLI call, the first checkpoint), before
 * Cortex did anything. Logback finds this class through {@code META-INF/services}. The server ({@code cortex serve})
 * is configured by Spring Boot from {@code logback-spring.xml} and {@code application.yaml} instead.
 */
public final class CortexLogbackConfigurator extends ContextAwareBase implements Configurator {

  /** The logger of Flyway's "database version newer than tested" warning. */
  static final String FLYWAY_VERSION_CHECK = "org.flywaydb.core.internal.database.base.Database";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    CompactLayout layout = new CompactLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    // Flyway warns at every start that an H2 newer than the newest it lists "has not been tested"; Cortex's
    // migration and upgrade tests run on the H2 this build ships, and a CLI call's output stays clean.
    context.getLogger(FLYWAY_VERSION_CHECK).setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
