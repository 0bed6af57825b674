package io.cortex.spring.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The Camunda user a Cortex REST request acts for, as {@link RestAuthFilter} authenticated it.
 *
 * @param viaSession whether the user came from the Camunda webapp's login session (Cockpit) rather than
 *     HTTP Basic
 */
record RestUser(String id, List<String> groupIds, boolean viaSession) {

  static final String REQUEST_ATTRIBUTE = RestUser.class.getName();

  RestUser {
    groupIds = groupIds == null ? List.of() : List.copyOf(groupIds);
  }

  static RestUser of(HttpServletRequest request) {
    Object user = request.getAttribute(REQUEST_ATTRIBUTE);
    if (user instanceof RestUser restUser) {
      return restUser;
    }
    throw new IllegalStateException("No authenticated user on " + request.getRequestURI()
        + ": the Cortex REST authentication filter did not run");
  }
}
