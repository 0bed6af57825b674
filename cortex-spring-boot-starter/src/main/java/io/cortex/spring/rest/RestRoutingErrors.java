package io.cortex.spring.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Requests under {@code /cortex-rest} that reach no resource (unknown path, wrong method) get the API's
 * {@code {"error": …}} too; everything else keeps Spring's default handling.
 */
@RestControllerAdvice
class RestRoutingErrors {

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e, HttpServletRequest request) throws Exception {
    requireApi(e, request);
    return RestErrors.error(HttpStatus.NOT_FOUND, "No such resource: " + request.getMethod() + " "
        + request.getRequestURI() + " (see docs/rest.md for the resources).");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request)
      throws Exception {
    requireApi(e, request);
    return RestErrors.error(HttpStatus.METHOD_NOT_ALLOWED, "Method " + request.getMethod() + " is not allowed on "
        + request.getRequestURI() + "; use " + String.join(" or ", e.getSupportedMethods() == null
        ? new String[0] : e.getSupportedMethods()) + ".");
  }

  /** Lets Spring handle the exception as usual outside the Cortex REST API. */
  private static void requireApi(Exception e, HttpServletRequest request) throws Exception {
    if (!request.getRequestURI().startsWith(request.getContextPath() + CortexRestController.BASE + "/")) {
      throw e;
    }
  }
}
