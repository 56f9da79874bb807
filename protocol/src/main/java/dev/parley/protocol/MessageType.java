package dev.parley.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every kind of message, each with the name its frames carry in their {@code type} field: the one
 * list of those names. Each codec's decoder switches over all of them, so a new kind breaks the
 * build until both directions have decided what to make of it.
 */
enum MessageType {
  // A client sends these.
  LOGIN("login"),
  PING("ping"),
  WATCH("watch"),
  UNWATCH("unwatch"),

  // The server sends these.
  CHALLENGE("challenge"),
  WELCOME("welcome"),
  PRESENCE("presence"),
  PONG("pong"),
  ERROR("error"),

  // Signals go both ways: a client sends one to a user, the server forwards it from the sender.
  OFFER("offer"),
  ANSWER("answer"),
  CANDIDATE("candidate"),
  HANGUP("hangup");

  private static final Map<String, MessageType> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(t -> t.wireName, Function.identity()));

  private final String wireName;

  MessageType(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  /** The kind named {@code wireName}, or null if there is none. */
  static @Nullable MessageType of(String wireName) {
    return BY_WIRE_NAME.get(wireName);
  }

  static ProtocolException unknown(String wireName) {
    return new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + wireName + "'");
  }
}
