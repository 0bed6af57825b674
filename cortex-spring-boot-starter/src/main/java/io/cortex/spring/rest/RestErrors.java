package io.cortex.spring.rest;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.CheckpointNotFoundException;
import io.cortex.checkpoint.InvalidIdException;
import io.cortex.checkpoint.SessionNotFoundException;
import io.cortex.git.GitException;
import io.cortex.rollback.RollbackFailedException;
import io.cortex.rollback.RollbackRefusedException;
import io.cortex.rollback.command.AmbiguousTargetException;
import io.cortex.rollback.command.InvalidRollbackCommandException;
import io.cortex.rollback.command.NoMatchingCheckpointException;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error of the Cortex REST API as {@code {"error": "…"}} with Cortex's message, never a stack trace:
 * 400 bad input, 403 not permitted, 404 unknown session or checkpoint, 409 refused or conflicting
 * ({@code {"error", "safety"}} for a refused rollback), 500 when git or the server failed.
 */
@RestControllerAdvice(assignableTypes = CortexRestController.class)
class RestErrors {

  private static final Logger LOG = LoggerFactory.getLogger(RestErrors.class);

  @ExceptionHandler(RestException.class)
  ResponseEntity<Map<String, Object>> rest(RestException e) {
    return error(e.status(), e.getMessage());
  }

  @ExceptionHandler(RollbackRefusedException.class)
  ResponseEntity<Map<String, Object>> refused(RollbackRefusedException e) {
    Map<String, Object> body = RestViews.error(e.getMessage());
    body.put("safety", RestViews.safety(e.report()));
    return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON).body(body);
  }

  @ExceptionHandler({InvalidIdException.class, InvalidRollbackCommandException.class, AmbiguousTargetException.class})
  ResponseEntity<Map<String, Object>> badRequest(CortexException e) {
    return error(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler({SessionNotFoundException.class, CheckpointNotFoundException.class,
      NoMatchingCheckpointException.class})
  ResponseEntity<Map<String, Object>> notFound(CortexException e) {
    return error(HttpStatus.NOT_FOUND, e.getMessage());
  }

  @ExceptionHandler({RollbackFailedException.class, GitException.class})
  ResponseEntity<Map<String, Object>> failed(CortexException e) {
    LOG.warn("Cortex REST: {}", e.getMessage());
    return error(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
  }

  /** Any other refusal of the API ("Nothing to undo …", a phase the process does not have, …). */
  @ExceptionHandler(CortexException.class)
  ResponseEntity<Map<String, Object>> conflict(CortexException e) {
    return error(HttpStatus.CONFLICT, e.getMessage());
  }

  @ExceptionHandler(AuthorizationException.class)
  ResponseEntity<Map<String, Object>> forbidden(AuthorizationException e) {
    return error(HttpStatus.FORBIDDEN, e.getMessage());
  }

  @ExceptionHandler(OptimisticLockingException.class)
  ResponseEntity<Map<String, Object>> concurrent(OptimisticLockingException e) {
    return error(HttpStatus.CONFLICT, "The process instance changed while this request ran (for example a task was"
        + " completed at the same time), so the process instance was not changed. If the audit log shows"
        + " ROLLBACK_COMPLETED for this request, the repository was rolled back all the same: roll back again, or"
        + " undo to restore the files.");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> unexpected(Exception e) {
    LOG.error("Cortex REST: unexpected error", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error (" + e.getClass().getSimpleName() + "): "
        + e.getMessage() + " - the server log has the details.");
  }

  static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(RestViews.error(message));
  }
}
