package dev.parley.client.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.WireCodec;
import java.util.Optional;

/** A message on a link's data channel: one JSON object per data channel text message. */
public sealed interface ChannelMessage {

  /** A chat message; {@code ts} is the sender's clock in Unix milliseconds. */
  record Chat(String id, long ts, String text) implements ChannelMessage {}

  /** The receiver has the chat message {@code id}. */
  record Ack(String id) implements ChannelMessage {}

  default String encode() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    switch (this) {
      case Chat c ->
          json.put("type", "message").put("id", c.id()).put("ts", c.ts()).put("text", c.text());
      case Ack a -> json.put("type", "ack").put("id", a.id());
    }
    return json.toString();
  }

  /**
   * Reads a data channel message. A type we do not know is skipped (empty), so that newer peers can
   * add types.
   *
   * @throws IllegalArgumentException if it is not a JSON object with the fields of its type
   */
  static Optional<ChannelMessage> decode(String text) {
    JsonNode json;
    try {
      json = WireCodec.json(text);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (!json.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return switch (json.path("type").asText()) {
      case "message" ->
          Optional.of(
              new Chat(
                  required(json, "id").asText(),
                  required(json, "ts").asLong(),
                  required(json, "text").asText()));
      case "ack" -> Optional.of(new Ack(required(json, "id").asText()));
      default -> Optional.empty();
    };
  }

  private static JsonNode required(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull() || value.isContainerNode()) {
      throw new IllegalArgumentException("the message has no field '" + field + "'");
    }
    return value;
  }
}
