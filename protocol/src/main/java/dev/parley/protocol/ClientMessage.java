package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A message a client sends to the server; its JSON names the kind in a {@code type} field. */
public sealed interface ClientMessage {

  /** The answer to the server's challenge: who I am, in which protocol version, and the proof. */
  record Login(int version, UserName name, IdentityKey publicKey, Signature signature)
      implements ClientMessage {}

  /**
   * A signaling message for {@code to}. The server relays {@code data}, a JSON object, unread; it
   * stamps the sender's name itself.
   */
  record Signal(SignalKind kind, UserName to, JsonNode data) implements ClientMessage {}

  /** Asks for a {@link ServerMessage.Pong}; a keep-alive for clients that cannot send pings. */
  record Ping() implements ClientMessage {}
}
