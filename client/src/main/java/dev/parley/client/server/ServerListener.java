package dev.parley.client.server;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;

/**
 * What a {@link ServerConnection} reports after the welcome. Calls come one at a time, in the order
 * the server sent them, on the connection's receiving thread: an implementation MUST return quickly
 * and MUST NOT block on the connection.
 */
public interface ServerListener {

  /** {@code user} came online, or is online with a different key than last reported. */
  default void joined(OnlineUser user) {}

  /** {@code name}, reported online before, went offline. */
  default void left(UserName name) {}

  /** Another user's offer, answer, candidate or hangup; {@code from} is stamped by the server. */
  default void signal(ServerMessage.Signal signal) {}

  /** An error frame after login, such as {@code user_offline} for a signal that was not relayed. */
  default void error(ServerMessage.Error error) {}

  /** A {@link ServerSession} went online, lost the server, or closed. */
  default void stateChanged(ServerState state) {}

  /** The connection is gone: closed by either side or broken. Nothing follows. */
  default void disconnected(int code, String reason) {}
}
