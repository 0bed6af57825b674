package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.testing.TempRepo;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;

/** Who may use the server: the first administrator, HTTP Basic, the Cockpit session with CSRF, authorizations. */
class ServerSecurityTest extends ServerTestSupport {

  @Test
  void theFirstStartCreatedAnAdministratorWhosePasswordOnlyTheOwnerCanRead() throws Exception {
    // then
    assertThat(Files.getPosixFilePermissions(DATA.resolve(AdminUser.PASSWORD_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(engine.getIdentityService().checkPassword("admin", adminPassword())).isTrue();
    assertThat(engine.getIdentityService().createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).userId("admin").count())
        .isEqualTo(1);
    assertThat(engine.getProcessEngineConfiguration().isAuthorizationEnabled()).isTrue();
    assertThat(engine.getName()).isEqualTo("default");
  }

  @Test
  void theWebappsLoginPageIsServed() {
    // when
    Response welcome = send(HttpRequest.newBuilder(uri("/camunda/app/welcome/default/")).GET());

    // then
    assertThat(welcome.status()).isEqualTo(200);
    assertThat(welcome.body()).containsIgnoringCase("welcome");
  }

  @Test
  void bothRestApisRefuseRequestsWithoutValidCredentials() {
    // given: a user whose password is mistyped (not admin: Camunda delays the next login of a user after a
    // failed one, which would lock the other tests out for seconds)
    if (engine.getIdentityService().createUserQuery().userId("eve").count() == 0) {
      User eve = engine.getIdentityService().newUser("eve");
      eve.setPassword("eve-secret");
      engine.getIdentityService().saveUser(eve);
    }

    // when
    Response engineAnonymous = send(HttpRequest.newBuilder(uri("/engine-rest/process-definition")).GET());
    Response engineWrong = send(HttpRequest.newBuilder(uri("/engine-rest/process-definition"))
        .header("Authorization", basic("eve", "wrong")).GET());
    Response cortexAnonymous = send(HttpRequest.newBuilder(uri("/cortex-rest/audit")).GET());
    Response cortexWrong = send(HttpRequest.newBuilder(uri("/cortex-rest/audit"))
        .header("Authorization", basic("eve", "wrong")).GET());
    Response cortexRollback = send(HttpRequest.newBuilder(uri("/cortex-rest/sessions/s1/rollback"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"checkpointId\": \"dor-1\"}")));

    // then
    assertThat(engineAnonymous.status()).isEqualTo(401);
    assertThat(engineWrong.status()).isEqualTo(401);
    assertThat(cortexAnonymous.status()).isEqualTo(401);
    assertThat(cortexAnonymous.error()).startsWith("Authentication required");
    assertThat(cortexAnonymous.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"default\"");
    assertThat(cortexWrong.status()).isEqualTo(401);
    assertThat(cortexWrong.error()).contains("wrong user name or password");
    assertThat(cortexRollback.status()).isEqualTo(401);
    assertThat(get("/engine-rest/process-definition").status()).isEqualTo(200);
    assertThat(get("/cortex-rest/audit").status()).isEqualTo(200);
  }

  @Test
  void theCockpitLoginSessionWorksForTheCortexApiWithCamundasCsrfProtection() {
    // given: a browser that opens the webapp and logs in as Cockpit does
    CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(10)).build();
    assertThat(sendWith(browser, HttpRequest.newBuilder(uri("/camunda/app/cockpit/default/")).GET()).status())
        .isEqualTo(200);
    String token = xsrfToken(cookies);
    Response login = sendWith(browser, HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default/login/cockpit"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", token)
        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
            + URLEncoder.encode(adminPassword(), StandardCharsets.UTF_8))));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    TempRepo repo = newRepo();
    String session = startPlanning(repo);

    // when: reading needs the session only
    Response read = sendWith(browser, HttpRequest.newBuilder(uri("/cortex-rest/sessions/" + session + "/checkpoints")).GET());

    // then
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).contains("session-start");

    // when: a change with the webapp's token passes (and reaches the API), one without it is refused
    Response withToken = sendWith(browser, HttpRequest.newBuilder(uri("/cortex-rest/sessions/" + session + "/undo"))
        .header("X-XSRF-TOKEN", xsrfToken(cookies)).POST(HttpRequest.BodyPublishers.noBody()));
    Response withoutToken = sendWith(browser, HttpRequest.newBuilder(uri("/cortex-rest/sessions/" + session + "/undo"))
        .POST(HttpRequest.BodyPublishers.noBody()));

    // then
    assertThat(withToken.status()).as(withToken.body()).isEqualTo(409);
    assertThat(withToken.error()).contains("Nothing to undo");
    assertThat(withoutToken.status()).isEqualTo(403);
    assertThat(withoutToken.error()).contains("CSRFPreventionFilter", "X-XSRF-TOKEN");
    // Camunda ends the session of a request that fails the CSRF check
    assertThat(sendWith(browser, HttpRequest.newBuilder(uri("/cortex-rest/sessions/" + session + "/checkpoints")).GET())
        .status()).isEqualTo(401);
  }

  @Test
  void aUserWithoutAuthorizationsOnTheProcessInstanceIsRefused() {
    // given: bob, in no group
    if (engine.getIdentityService().createUserQuery().userId("bob").count() == 0) {
      User bob = engine.getIdentityService().newUser("bob");
      bob.setPassword("bob-secret");
      engine.getIdentityService().saveUser(bob);
    }
    TempRepo repo = newRepo();
    String session = startPlanning(repo);
    String instance = processInstanceId(session);
    String checkpoints = "/cortex-rest/sessions/" + session + "/checkpoints";

    // when / then: nothing granted
    Response denied = send(HttpRequest.newBuilder(uri(checkpoints)).header("Authorization", basic("bob", "bob-secret")).GET());
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.error()).contains("User 'bob' may not read session " + session, "READ on process instance " + instance);

    // when / then: READ on the instance lets bob read, not roll back, not read everyone's audit log
    Authorization read = engine.getAuthorizationService().createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    read.setUserId("bob");
    read.setResource(Resources.PROCESS_INSTANCE);
    read.setResourceId(instance);
    read.addPermission(Permissions.READ);
    engine.getAuthorizationService().saveAuthorization(read);
    assertThat(send(HttpRequest.newBuilder(uri(checkpoints)).header("Authorization", basic("bob", "bob-secret")).GET())
        .status()).isEqualTo(200);
    Response rollback = send(HttpRequest.newBuilder(uri("/cortex-rest/sessions/" + session + "/rollback"))
        .header("Authorization", basic("bob", "bob-secret"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"checkpointId\": \"session-start\"}")));
    assertThat(rollback.status()).isEqualTo(403);
    assertThat(rollback.error()).contains("UPDATE on process instance");
    assertThat(send(HttpRequest.newBuilder(uri("/cortex-rest/audit")).header("Authorization", basic("bob", "bob-secret"))
        .GET()).status()).isEqualTo(403);
  }

  private Response sendWith(HttpClient client, HttpRequest.Builder request) {
    try {
      var response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String xsrfToken(CookieManager cookies) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
        .map(HttpCookie::getValue).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie in " + cookies.getCookieStore().getCookies()));
  }
}
