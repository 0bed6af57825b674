package io.cortex.engine;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.checkpoint.Ids;
import io.cortex.checkpoint.Session;
import io.cortex.git.GitWorkspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Opens a session when a process with phases starts: validates the business key (the session
 * id) and the repository, records the session and takes the {@code SESSION_START} checkpoint,
 * all in the start's transaction. Any problem fails the start and nothing is recorded.
 */
final class SessionStartListener implements ExecutionListener {

  private final Checkpointer checkpointer;
  private final Clock clock;

  SessionStartListener(Checkpointer checkpointer, Clock clock) {
    this.checkpointer = checkpointer;
    this.clock = clock;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String processKey = execution.getProcessDefinitionId().split(":")[0];
    String sessionId = execution.getProcessBusinessKey();
    if (sessionId == null || sessionId.isEmpty()) {
      throw new CortexException("Process " + processKey + " has Cortex phases and needs a business key: it is the"
          + " session id. Start it with a business key such as 'feature-auth-001'.");
    }
    Ids.requireValidSessionId(sessionId);
    Path repository = repositoryOf(execution, processKey);

    Catalogue catalogue = EngineTransaction.catalogue();
    if (Boolean.TRUE.equals(execution.getVariable(CortexVariables.RESUME))) {
      resume(execution, catalogue, sessionId, processKey);
      return;
    }
    catalogue.session(sessionId).ifPresent(existing -> {
      throw new CortexException("Session '" + sessionId + "' exists already (process instance "
          + existing.processInstanceId() + " on " + existing.repository() + "). Session ids are unique; choose another.");
    });
    catalogue.insertSession(new Session(sessionId, processKey, execution.getProcessInstanceId(), repository,
        clock.instant()));
    checkpointer.take(catalogue, new CheckpointRequest(sessionId, CheckpointType.SESSION_START, null, null,
        execution.getProcessInstanceId(), execution.getActivityInstanceId(), Map.of()));
  }

  /**
   * A session that ended takes a new process instance: its row points to it from now on and a {@code resumed-N}
   * checkpoint records where it picked up. Refused while the old instance still runs.
   */
  private void resume(DelegateExecution execution, Catalogue catalogue, String sessionId, String processKey) {
    Session existing = catalogue.session(sessionId).orElseThrow(() -> new CortexException("Session '" + sessionId
        + "' cannot be resumed: it does not exist. Start it with './cortex start'."));
    if (existing.processInstanceId() != null && execution.getProcessEngineServices().getRuntimeService()
        .createProcessInstanceQuery().processInstanceId(existing.processInstanceId()).count() > 0) {
      throw new CortexException("Session '" + sessionId + "' is still running (process instance "
          + existing.processInstanceId() + "); only a session that has ended can be resumed.");
    }
    catalogue.resumeSession(sessionId, processKey, execution.getProcessInstanceId());
    long n = catalogue.checkpoints(sessionId).stream().filter(c -> c.checkpointId().startsWith("resumed-")).count() + 1;
    while (catalogue.checkpoint(sessionId, "resumed-" + n).isPresent()) {
      n++;
    }
    checkpointer.take(catalogue, new CheckpointRequest(sessionId, CheckpointType.SESSION_START, "resumed-" + n, null,
        execution.getProcessInstanceId(), execution.getActivityInstanceId(), Map.of("resumedFrom",
        String.valueOf(existing.processInstanceId()))));
  }

  private static Path repositoryOf(DelegateExecution execution, String processKey) {
    Object value = execution.getVariable(CortexVariables.REPOSITORY_PATH);
    if (!(value instanceof String path) || path.isBlank()) {
      throw new CortexException("Process " + processKey + " has Cortex phases and needs the variable '"
          + CortexVariables.REPOSITORY_PATH + "' (the absolute path of the session's git repository)"
          + (value == null ? "; it is not set." : "; it is not a text: " + value));
    }
    Path repository = Path.of(path).toAbsolutePath().normalize();
    GitWorkspace.open(repository).close(); // fails with a clear message if it is not a git work tree
    return repository;
  }
}
