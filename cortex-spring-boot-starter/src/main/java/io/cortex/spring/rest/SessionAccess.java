package io.cortex.spring.rest;

import io.cortex.checkpoint.Session;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;

/**
 * Camunda's authorizations applied to sessions, when the engine has authorization checks on (the server
 * has): a session is its process instance, so reading its checkpoints, safety, preview and audit needs
 * READ on the instance (or READ_INSTANCE / READ_HISTORY on its process definition), and rollback and undo
 * need UPDATE on it (or UPDATE_INSTANCE on the definition). Members of {@value Groups#CAMUNDA_ADMIN} may do
 * everything; sessions without a process definition (imported) and the audit log of all sessions are theirs
 * only.
 */
final class SessionAccess {

  private final ProcessEngine engine;

  SessionAccess(ProcessEngine engine) {
    this.engine = engine;
  }

  void requireRead(RestUser user, Session session) {
    require(user, session, false);
  }

  void requireUpdate(RestUser user, Session session) {
    require(user, session, true);
  }

  void requireAdmin(RestUser user, String what) {
    if (checksOn() && !isAdmin(user)) {
      throw RestException.forbidden("User '" + user.id() + "' may not " + what + ": only members of the group "
          + Groups.CAMUNDA_ADMIN + " may.");
    }
  }

  private void require(RestUser user, Session session, boolean update) {
    if (!checksOn() || isAdmin(user)) {
      return;
    }
    String key = session.processDefinitionKey();
    String instance = session.processInstanceId();
    boolean allowed = key != null && (update
        ? granted(user, Permissions.UPDATE, Resources.PROCESS_INSTANCE, instance)
            || granted(user, ProcessDefinitionPermissions.UPDATE_INSTANCE, Resources.PROCESS_DEFINITION, key)
        : granted(user, Permissions.READ, Resources.PROCESS_INSTANCE, instance)
            || granted(user, ProcessDefinitionPermissions.READ_INSTANCE, Resources.PROCESS_DEFINITION, key)
            || granted(user, ProcessDefinitionPermissions.READ_HISTORY, Resources.PROCESS_DEFINITION, key));
    if (!allowed) {
      throw RestException.forbidden("User '" + user.id() + "' may not " + (update ? "roll back" : "read")
          + " session " + session.sessionId() + ": " + (key == null
          ? "it has no process definition (imported), so only members of " + Groups.CAMUNDA_ADMIN + " may."
          : "this needs " + (update ? "UPDATE" : "READ") + " on process instance " + instance + " or "
              + (update ? "UPDATE_INSTANCE" : "READ_INSTANCE") + " on process definition " + key
              + " (grant it in Camunda Admin > Authorizations)."));
    }
  }

  private boolean granted(RestUser user, Permission permission, Resources resource, String resourceId) {
    return resourceId != null && engine.getAuthorizationService()
        .isUserAuthorized(user.id(), user.groupIds(), permission, resource, resourceId);
  }

  private boolean isAdmin(RestUser user) {
    return user.groupIds().contains(Groups.CAMUNDA_ADMIN);
  }

  private boolean checksOn() {
    return engine.getProcessEngineConfiguration().isAuthorizationEnabled();
  }
}
