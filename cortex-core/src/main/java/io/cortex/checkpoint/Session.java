package io.cortex.checkpoint;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A session: one process instance working on one git repository.
 *
 * @param sessionId the process instance's business key
 * @param processDefinitionKey e.g. {@code cortex-planning}; {@code null} for imported sessions
 * @param processInstanceId {@code null} for sessions imported without a process instance
 */
public record Session(String sessionId, String processDefinitionKey, String processInstanceId,
                      Path repository, Instant createdAt) {
}
