package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A message a client sends to the server; its JSON names the kind in a {@code type} field. */
public sealed interface ClientMessage {

  /**
   * The answer to the server's challenge: who I am, in which protocol version, and the proof; with
   * an invite code to register a new name where the server takes new names by invitation only (the
   * server ignores it for a name already registered, and on a server open to all).
   */
  record Login(
      int version,
      UserName name,
      IdentityKey publicKey,
      Signature signature,
      @Nullable InviteCode invite)
      implements ClientMessage {
    /** The protocol versions this code speaks. */
    public static final List<Integer> VERSIONS = List.of(1);

    /** A login without an invite code, as every login of a registered name is. */
    public Login(int version, UserName name, IdentityKey publicKey, Signature signature) {
      this(version, name, publicKey, signature, null);
    }
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

  /**
   * Asks to be told when these users come and go (in {@link PresenceMode#CONTACTS contacts} mode;
   * in everyone mode the server accepts it and does nothing). The server answers with their current
   * state as a presence frame. Names are compared regardless of case; a list may repeat one.
   */
  record Watch(List<UserName> names) implements ClientMessage {
    /** The most names one {@code watch} or {@code unwatch} may list, repeats included. */
    public static final int MAX_NAMES = 100;

    /** The most distinct names one connection may watch at a time. */
    public static final int MAX_WATCHED = 1000;

    /**
     * @throws ProtocolException {@code watch_limit} if {@code names} has more than {@link
     *     #MAX_NAMES}
     */
    public Watch {
      names = bounded(names, "watch");
    }
  }

  /** Stops telling about these users; names not watched are ignored. */
  record Unwatch(List<UserName> names) implements ClientMessage {
    /**
     * @throws ProtocolException {@code watch_limit} if {@code names} has more than {@link
     *     Watch#MAX_NAMES}
     */
    public Unwatch {
      names = bounded(names, "unwatch");
    }
  }

  private static List<UserName> bounded(List<UserName> names, String type) {
    if (names.size() > Watch.MAX_NAMES) {
      throw new ProtocolException(
          ErrorCode.WATCH_LIMIT,
          "a "
              + type
              + " may list at most "
              + Watch.MAX_NAMES
              + " names, not "
              + names.size()
              + "; send several");
    }
    return List.copyOf(names);
  }
}
