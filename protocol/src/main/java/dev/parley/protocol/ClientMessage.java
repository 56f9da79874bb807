package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A message a client sends to the server; its JSON names the kind in a {@code type} field. */
public sealed interface ClientMessage {

  /** The answer to the server's challenge: who I am, in which protocol version, and the proof. */
  record Login(int version, UserName name, IdentityKey publicKey, Signature signature)
      implements ClientMessage {
    /** The protocol versions this code speaks. */
    public static final List<Integer> VERSIONS = List.of(1);
  }

  /**
   * A signaling message for {@code to}. The server relays {@code data}, a JSON object, unread; it
   * stamps the sender's name itself. A client always gives {@code data}; a signal the server
   * decoded has none, since it forwards the object's text ({@link ClientCodec.Inbound#data()})
   * without building a tree of it.
   */
  record Signal(SignalKind kind, UserName to, @Nullable JsonNode data) implements ClientMessage {}

  /** Asks for a {@link ServerMessage.Pong}; a keep-alive for clients that cannot send pings. */
  record Ping() implements ClientMessage {}
}
