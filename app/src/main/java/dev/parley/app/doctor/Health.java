package dev.parley.app.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a server's {@code GET /health} says that the doctor uses (docs/operations.md, "Monitoring"):
 * its status, where its STUN responder listens, and the state of its TURN self-check. Any of it may
 * be missing: an older server, or something that is not Parley at all.
 *
 * @param status the {@code status} field, {@code ok} when the directory answers
 * @param stun the {@code stun} object
 * @param turnState the {@code turn.state} field: {@code off}, {@code checking}, {@code ok} or
 *     {@code failed}
 */
public record Health(Optional<String> status, Optional<Stun> stun, Optional<String> turnState) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The {@code stun} object: {@code listening} (with {@code alternatePort} when the next port is
   * open too), {@code elsewhere} (another STUN server holds the port), {@code unavailable}, {@code
   * off}.
   */
  public record Stun(String state, OptionalInt port, OptionalInt alternatePort) {}

  static Health none() {
    return new Health(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads a {@code /health} body; anything that is not its JSON gives {@link #none()}. */
  static Health parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return none();
    }
    if (root == null || !root.isObject()) {
      return none();
    }
    JsonNode stun = root.path("stun");
    return new Health(
        text(root.path("status")),
        stun.isObject()
            ? text(stun.path("state"))
                .map(s -> new Stun(s, port(stun, "port"), port(stun, "alternatePort")))
            : Optional.empty(),
        text(root.path("turn").path("state")));
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static OptionalInt port(JsonNode parent, String field) {
    JsonNode node = parent.path(field);
    return node.canConvertToInt() && node.asInt() > 0 && node.asInt() <= 0xFFFF
        ? OptionalInt.of(node.asInt())
        : OptionalInt.empty();
  }
}
