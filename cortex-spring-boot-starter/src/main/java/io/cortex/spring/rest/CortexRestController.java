package io.cortex.spring.rest;

import io.cortex.Cortex;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Ids;
import io.cortex.checkpoint.Session;
import io.cortex.checkpoint.SessionNotFoundException;
import io.cortex.engine.PhaseLookup;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.command.ParsedCommand;
import io.cortex.rollback.command.RollbackCommandParser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Cortex REST API under {@code /cortex-rest}: checkpoints, safety, preview, rollback, undo and audit of
 * sessions — a thin layer over the {@link Cortex} API, acting as the authenticated Camunda user. The
 * reference with examples is docs/rest.md.
 */
@RestController
@RequestMapping(CortexRestController.BASE)
class CortexRestController {

  static final String BASE = "/cortex-rest";
  static final int DEFAULT_AUDIT_LIMIT = 100;
  static final int MAX_AUDIT_LIMIT = 10_000;

  private final ProcessEngine engine;
  private final SessionAccess access;
  private final SessionRollbacks rollbacks;
  private final RequestBodies bodies;

  CortexRestController(ProcessEngine engine, com.fasterxml.jackson.databind.ObjectMapper json) {
    this.engine = engine;
    this.access = new SessionAccess(engine);
    this.rollbacks = new SessionRollbacks(engine);
    this.bodies = new RequestBodies(json);
  }

  @GetMapping("/sessions/{sessionId}/checkpoints")
  List<Map<String, Object>> checkpoints(@PathVariable String sessionId, HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    access.requireRead(user, cortex.session(sessionId));
    return cortex.checkpoints(sessionId).stream().map(RestViews::checkpoint).toList();
  }

  /**
   * Takes a USER_REQUESTED checkpoint of the session's repository now, as {@code ./cortex checkpoint create} does
   * (the same {@link Cortex#createCheckpoint}); 201 with the checkpoint.
   */
  @PostMapping("/sessions/{sessionId}/checkpoints")
  org.springframework.http.ResponseEntity<Map<String, Object>> createCheckpoint(@PathVariable String sessionId,
      @RequestBody(required = false) String body, HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    Session session = cortex.session(sessionId);
    requireJson(request);
    RequestBodies.NewCheckpoint asked = bodies.checkpoint(body);
    access.requireUpdate(user, session);
    Checkpoint taken = cortex.createCheckpoint(sessionId, asked.checkpointId(), asked.metrics());
    return org.springframework.http.ResponseEntity.status(org.springframework.http.HttpStatus.CREATED)
        .body(RestViews.checkpoint(taken));
  }

  @GetMapping("/process-instances/{processInstanceId}/checkpoints")
  List<Map<String, Object>> checkpointsOfProcessInstance(@PathVariable String processInstanceId,
                                                         HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    Session session = sessionOfProcessInstance(cortex, processInstanceId);
    access.requireRead(user, session);
    return cortex.checkpoints(session.sessionId()).stream().map(RestViews::checkpoint).toList();
  }

  @GetMapping("/sessions/{sessionId}/checkpoints/{checkpointId}/safety")
  Map<String, Object> safety(@PathVariable String sessionId, @PathVariable String checkpointId,
                             HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    access.requireRead(user, cortex.session(sessionId));
    return RestViews.safety(cortex.checkSafety(sessionId, checkpointId));
  }

  @GetMapping("/sessions/{sessionId}/checkpoints/{checkpointId}/preview")
  Map<String, Object> preview(@PathVariable String sessionId, @PathVariable String checkpointId,
                              HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    access.requireRead(user, cortex.session(sessionId));
    return RestViews.preview(cortex.preview(sessionId, checkpointId));
  }

  @PostMapping("/sessions/{sessionId}/rollback")
  Map<String, Object> rollback(@PathVariable String sessionId, @RequestBody(required = false) String body,
                               HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    Session session = cortex.session(sessionId);
    requireJson(request);
    RequestBodies.Rollback asked = bodies.rollback(body);
    access.requireUpdate(user, session);
    boolean force = asked.force();
    boolean dryRun = asked.dryRun();
    Checkpoint target;
    if (asked.command() != null) {
      ParsedCommand parsed = new RollbackCommandParser().parse(asked.command());
      if (!parsed.valid()) {
        throw RestException.badRequest("Field 'command': " + parsed.error());
      }
      if (parsed.sessionId() != null && !parsed.sessionId().equals(sessionId)) {
        throw RestException.badRequest("Field 'command' names session " + parsed.sessionId() + ", but this is"
            + " session " + sessionId + "; leave the session out of the command or post it to /cortex-rest/sessions/"
            + parsed.sessionId() + "/rollback.");
      }
      target = cortex.resolve(ParsedCommand.success(parsed.target(), sessionId, parsed.flags())).checkpoint();
      force |= parsed.flags().force();
      dryRun |= parsed.flags().dryRun();
    } else {
      target = cortex.checkpoint(sessionId, asked.checkpointId());
    }
    if (dryRun) {
      ProcessInstance running = rollbacks.runningInstance(session);
      return RestViews.dryRun(cortex.preview(sessionId, target.checkpointId()),
          running != null ? running.getId() : session.processInstanceId());
    }
    SessionRollbacks.Done done = rollbacks.rollback(cortex, user.id(), session, target, force);
    String message = done.result().message() + (done.throughBpmn()
        ? ". Process instance " + done.processInstanceId() + " went through its 'Rollback requested' event subprocess"
            + " and waits in phase " + phaseName(done) + "."
        : done.processInstanceId() != null && rollbacks.runningInstance(session) != null
            ? ". Process instance " + done.processInstanceId() + " has no rollback event subprocess (an older process"
                + " version), so it stays where it is."
            : ".");
    return RestViews.executed(done.result(), message, done.processInstanceId());
  }

  @PostMapping("/sessions/{sessionId}/undo")
  Map<String, Object> undo(@PathVariable String sessionId, @RequestBody(required = false) String body,
                           HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    Session session = cortex.session(sessionId);
    requireJson(request);
    RequestBodies.Undo asked = bodies.undo(body);
    access.requireUpdate(user, session);
    RollbackResult result = cortex.undo(sessionId, asked.force());
    ProcessInstance running = rollbacks.runningInstance(session);
    String message = result.message() + (running == null ? "."
        : ". Process instance " + running.getId() + " stays where it is: undo restores the repository only.");
    return RestViews.executed(result, message, session.processInstanceId());
  }

  @GetMapping("/audit")
  List<Map<String, Object>> audit(@RequestParam(required = false) String sessionId,
                                  @RequestParam(required = false) String limit, HttpServletRequest request) {
    RestUser user = RestUser.of(request);
    Cortex cortex = cortex(user);
    int max = limit(limit);
    List<AuditEntry> entries;
    if (sessionId == null || sessionId.isEmpty()) {
      access.requireAdmin(user, "read the audit log of all sessions (add ?sessionId=…)");
      entries = cortex.audit(null, max);
    } else {
      Ids.requireValidSessionId(sessionId);
      access.requireRead(user, cortex.session(sessionId));
      entries = cortex.audit(sessionId, max);
    }
    return entries.stream().map(RestViews::audit).toList();
  }

  // --- plumbing ---

  /**
   * A body, if any, must be declared JSON. HTML forms can only send form and text types, so this also keeps
   * other web pages from posting to the API with credentials a browser remembers.
   */
  private static void requireJson(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || type.isBlank()) {
      return;
    }
    String mediaType = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
      throw new RestException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the request body as"
          + " JSON with the header 'Content-Type: application/json' (got '" + type + "').");
    }
  }

  private Cortex cortex(RestUser user) {
    return Cortex.on(engine).withActor(user.id());
  }

  private static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return DEFAULT_AUDIT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit.trim());
      if (value >= 1 && value <= MAX_AUDIT_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RestException.badRequest("Parameter 'limit' must be a whole number from 1 to " + MAX_AUDIT_LIMIT + ", got '"
        + limit + "'.");
  }

  /** The session whose process instance this is; for a called instance (recovery) the session of its business key. */
  private Session sessionOfProcessInstance(Cortex cortex, String processInstanceId) {
    Optional<Session> direct = cortex.sessions().stream()
        .filter(s -> processInstanceId.equals(s.processInstanceId())).findFirst();
    if (direct.isPresent()) {
      return direct.get();
    }
    HistoricProcessInstance instance = engine.getHistoryService().createHistoricProcessInstanceQuery()
        .processInstanceId(processInstanceId).singleResult();
    if (instance == null) {
      throw RestException.notFound("Process instance " + processInstanceId + " not found.");
    }
    String businessKey = instance.getBusinessKey();
    if (businessKey != null && Ids.isValid(businessKey)) {
      try {
        return cortex.session(businessKey);
      } catch (SessionNotFoundException e) {
        // reported below
      }
    }
    throw RestException.notFound("Process instance " + processInstanceId + " is not a Cortex session: no session"
        + " belongs to it" + (businessKey == null ? "" : " or to its business key '" + businessKey + "'") + ".");
  }

  private String phaseName(SessionRollbacks.Done done) {
    ProcessInstance instance = engine.getRuntimeService().createProcessInstanceQuery()
        .processInstanceId(done.processInstanceId()).singleResult();
    String phase = instance == null ? null : PhaseLookup.phaseOf(
        engine.getRepositoryService().getBpmnModelInstance(instance.getProcessDefinitionId()), done.phaseActivityId());
    return phase != null ? phase : done.phaseActivityId();
  }
}
