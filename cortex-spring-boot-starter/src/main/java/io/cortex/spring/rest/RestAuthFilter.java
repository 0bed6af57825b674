package io.cortex.spring.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.camunda.bpm.webapp.impl.security.filter.CsrfPreventionFilter;

/**
 * Authentication of the Cortex REST API ({@code /cortex-rest/*}), in this order:
 * <ol>
 *   <li>HTTP Basic ({@code Authorization: Basic …}) checked against the engine's identity service, as the
 *       engine REST API does — for scripts and services; no CSRF token needed, there is no cookie;</li>
 *   <li>otherwise the Camunda webapp's login session (the user logged in to Cockpit), so a Cockpit plugin can
 *       call the API with the browser's session cookie. Such requests pass through Camunda's own
 *       {@link CsrfPreventionFilter} with the webapp's settings: a modifying request must carry the
 *       {@code X-XSRF-TOKEN} header the webapp gave out (its {@code XSRF-TOKEN} cookie);</li>
 *   <li>otherwise {@code 401 {"error": …}} with {@code WWW-Authenticate: Basic realm="<engine>"}.</li>
 * </ol>
 * Every refusal is JSON {@code {"error": …}}, also the CSRF filter's.
 */
final class RestAuthFilter implements Filter {

  private final ProcessEngine engine;
  private final ObjectMapper json;
  private final CsrfPreventionFilter csrf = new CsrfPreventionFilter();

  RestAuthFilter(ProcessEngine engine, ObjectMapper json) {
    this.engine = engine;
    this.json = json;
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    csrf.init(config);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      RestUser user = basic(header.substring(6).trim());
      if (user == null) {
        unauthorized(response, "Authentication failed: wrong user name or password.");
        return;
      }
      request.setAttribute(RestUser.REQUEST_ATTRIBUTE, user);
      chain.doFilter(request, response);
      return;
    }
    RestUser user = fromSession(request.getSession(false));
    if (user == null) {
      unauthorized(response, "Authentication required: send HTTP Basic credentials of a Camunda user, or log in to"
          + " Cockpit and call this API from the browser session.");
      return;
    }
    request.setAttribute(RestUser.REQUEST_ATTRIBUTE, user);
    // Only the CSRF filter's own refusals get the wrapper; the API behind it writes to the real response.
    csrf.doFilter(request, new JsonErrors(response, json), (rq, rs) -> chain.doFilter(rq, response));
  }

  private RestUser basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String userId = decoded.substring(0, colon);
    if (!engine.getIdentityService().checkPassword(userId, decoded.substring(colon + 1))) {
      return null;
    }
    List<String> groups = engine.getIdentityService().createGroupQuery().groupMember(userId).list().stream()
        .map(Group::getId).toList();
    return new RestUser(userId, groups, false);
  }

  private RestUser fromSession(HttpSession session) {
    if (session == null) {
      return null;
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    Authentication authentication = authentications == null ? null
        : authentications.getAuthenticationForProcessEngine(engine.getName());
    if (authentication == null || authentication.getIdentityId() == null) {
      return null;
    }
    List<String> groups = authentication instanceof UserAuthentication user ? user.getGroupIds() : List.of();
    return new RestUser(authentication.getIdentityId(), groups, true);
  }

  private void unauthorized(HttpServletResponse response, String message) throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"" + engine.getName() + "\"");
    writeError(response, json, HttpServletResponse.SC_UNAUTHORIZED, message);
  }

  static void writeError(HttpServletResponse response, ObjectMapper json, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    json.writeValue(response.getOutputStream(), Map.of("error", message));
  }

  @Override
  public void destroy() {
    csrf.destroy();
  }

  /** Turns the CSRF filter's {@code sendError} into the API's JSON error body. */
  private static final class JsonErrors extends HttpServletResponseWrapper {

    private final ObjectMapper json;

    JsonErrors(HttpServletResponse response, ObjectMapper json) {
      super(response);
      this.json = json;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      String text = message == null ? "Forbidden" : message;
      if (text.contains("Token")) {
        text += " A request from the Cockpit session that changes something must send the header X-XSRF-TOKEN with"
            + " the value of the webapp's XSRF-TOKEN cookie. Camunda ended the login session; log in again.";
      }
      writeError((HttpServletResponse) getResponse(), json, status, text);
    }

    @Override
    public void sendError(int status) throws IOException {
      sendError(status, null);
    }
  }
}
