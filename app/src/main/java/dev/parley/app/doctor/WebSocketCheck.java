package dev.parley.app.doctor;

import java.net.URI;
import java.time.Duration;

/** Whether the server's WebSocket opens and sends its login challenge, as every client needs. */
public sealed interface WebSocketCheck {
  URI url();

  String describe();

  record Answered(URI url, Duration took) implements WebSocketCheck {
    @Override
    public String describe() {
      return "ok: " + url + " sent its login challenge in " + took.toMillis() + " ms";
    }
  }

  /**
   * @param why a sentence: what came back instead of the challenge, or why nothing did
   */
  record Failed(URI url, String why) implements WebSocketCheck {
    @Override
    public String describe() {
      return "failed: " + url + ": " + why;
    }
  }
}
