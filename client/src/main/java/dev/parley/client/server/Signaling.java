package dev.parley.client.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What peer-to-peer links need from the server: who we are, who is online with which key, the ICE
 * servers, and a relay for signals. One {@link ServerConnection}, or a {@link ServerSession} that
 * reconnects.
 */
public interface Signaling {

  /** Our name as the server registered it. */
  UserName name();

  Identity identity();

  /** The ICE servers the server handed out at login; empty if its operator configured none. */
  List<IceServer> iceServers();

  /**
   * Everyone else online, as far as the server has told us: in contacts presence mode, of the names
   * we {@linkplain #watch watch}.
   */
  Set<UserName> online();

  /**
   * Asks to hear when these users come and go, the most wanted first. A server in contacts presence
   * mode tells a client only of the names it watches (docs/protocol.md, "Presence modes"); in
   * everyone mode this does nothing. Once the server answers, those online are in {@link #online}
   * and reported as joins (unless it answers while a session logs in: who is online then is its
   * starting point, not news); those offline are not news. Never blocks.
   *
   * @return completes once {@link #online} tells about these names, as far as the server answered
   */
  CompletableFuture<Void> watch(Collection<UserName> names);

  /** The identity key the server holds for {@code user}, if {@code user} is online. */
  Optional<IdentityKey> onlineKey(UserName user);

  /** Whether signals can be sent now. */
  boolean isOpen();

  /** Sends a signal for the server to relay; never blocks. Errors come to the listeners. */
  void signal(SignalKind kind, UserName to, JsonNode data);

  /** Adds a listener; register before logging in so that nothing is missed. */
  Signaling addListener(ServerListener listener);
}
