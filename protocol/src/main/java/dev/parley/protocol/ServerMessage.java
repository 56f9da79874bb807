package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A message the server sends to a client; its JSON names the kind in a {@code type} field. */
public sealed interface ServerMessage {

  /** The first frame on every connection: the versions spoken here and what to sign. */
  record Challenge(List<Integer> versions, String serverId, String nonce) implements ServerMessage {
    public Challenge {
      versions = List.copyOf(versions);
    }
  }

  /**
   * Login succeeded: the name as registered, who else is online, how to reach peers, and the
   * server's presence mode. In {@link PresenceMode#CONTACTS contacts} mode {@code online} is always
   * empty: the client watches the names it wants to hear of.
   */
  record Welcome(
      UserName name,
      List<OnlineUser> online,
      List<IceServer> iceServers,
      int heartbeatSeconds,
      int maxFrameBytes,
      PresenceMode presence)
      implements ServerMessage {
    public Welcome {
      online = List.copyOf(online);
      iceServers = List.copyOf(iceServers);
      if (presence == PresenceMode.CONTACTS && !online.isEmpty()) {
        throw new IllegalArgumentException("a welcome in contacts mode lists nobody online");
      }
    }

    /** The welcome of a server in everyone mode. */
    public Welcome(
        UserName name,
        List<OnlineUser> online,
        List<IceServer> iceServers,
        int heartbeatSeconds,
        int maxFrameBytes) {
      this(name, online, iceServers, heartbeatSeconds, maxFrameBytes, PresenceMode.EVERYONE);
    }
  }

  /**
   * Who came online and who left since the last presence frame (the seed's join/leave events); in
   * contacts mode also the answer to a {@code watch}: the state of each name it listed.
   */
  record Presence(List<OnlineUser> joined, List<UserName> left) implements ServerMessage {
    public Presence {
      joined = List.copyOf(joined);
      left = List.copyOf(left);
    }
  }

  /** A relayed signaling message; {@code from} is set by the server, never by the sender. */
  record Signal(SignalKind kind, UserName from, JsonNode data) implements ServerMessage {}

  record Pong() implements ServerMessage {}

  /**
   * Something was wrong. {@code ref} echoes the {@code ref} of the client message at fault, if it
   * had one; a {@linkplain ErrorCode#fatal() fatal} code means the server closes the connection.
   */
  @SuppressWarnings(
      "AvoidCommonTypeNames") // the wire's "error"; always read as ServerMessage.Error
  record Error(ErrorCode code, String message, @Nullable String ref) implements ServerMessage {
    public Optional<String> refIfAny() {
      return Optional.ofNullable(ref);
    }
  }
}
