package dev.parley.app.doctor;

import java.net.URI;
import java.time.Duration;

/**
 * The server's HTTP side answered {@code GET /health}: with what status, how fast, and what it
 * said. (A server that does not answer at all ends the checkup: {@link
 * ServerUnreachableException}.)
 */
public record ServerCheck(URI url, int status, Duration took, Health health) {
  public boolean ok() {
    return status == 200;
  }

  String describe() {
    String answered = url + " answered " + status + " in " + took.toMillis() + " ms";
    if (ok()) {
      return "ok: " + answered;
    }
    if (status == 503) {
      return "trouble: "
          + answered
          + " (the server runs, but its directory of users does not answer)";
    }
    if (health.status().isEmpty()) {
      return "trouble: " + answered + " (is this a Parley server, or a proxy in front of one?)";
    }
    return "trouble: " + answered;
  }
}
