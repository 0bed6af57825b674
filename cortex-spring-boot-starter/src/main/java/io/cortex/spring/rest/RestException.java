package io.cortex.spring.rest;

import org.springframework.http.HttpStatus;

/** A Cortex REST error with its HTTP status; the body is {@code {"error": message}}. */
class RestException extends RuntimeException {

  private final HttpStatus status;

  RestException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  HttpStatus status() {
    return status;
  }

  static RestException badRequest(String message) {
    return new RestException(HttpStatus.BAD_REQUEST, message);
  }

  static RestException notFound(String message) {
    return new RestException(HttpStatus.NOT_FOUND, message);
  }

  static RestException forbidden(String message) {
    return new RestException(HttpStatus.FORBIDDEN, message);
  }
}
