package dev.parley.bench.load;

import dev.parley.bench.servers.BareWebSocketServer;
import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.Identity;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.util.List;

/**
 * A user of Parley's native protocol: answers the challenge and logs in with its own key; given
 * names to watch (contacts presence), it watches them after its welcome and is ready once the watch
 * is answered. For the floor without a challenge ({@link BareWebSocketServer}'s {@code
 * login-at-once}) it sends its login as soon as the connection is open instead.
 */
final class ParleyPeer extends LoadPeer {
  private final Identity identity;
  private final List<String> watches;
  private final boolean atOnce;
  private volatile boolean watchPending;
  private volatile int welcomeLength;

  ParleyPeer(String name) {
    this(name, Identity.generate(), List.of(), false);
  }

  private ParleyPeer(String name, Identity identity, List<String> watches, boolean atOnce) {
    super(name);
    this.identity = identity;
    this.watches = List.copyOf(watches);
    this.atOnce = atOnce;
  }

  /** A user of the floor that takes a login without a challenge. */
  static ParleyPeer loggingInAtOnce(String name) {
    return new ParleyPeer(name, Identity.generate(), List.of(), true);
  }

  @Override
  public LoadPeer again() {
    return new ParleyPeer(name, identity, watches, atOnce);
  }

  @Override
  public LoadPeer watching(List<String> names) {
    return new ParleyPeer(name, identity, names, atOnce);
  }

  @Override
  protected void opened(WsConnection connection) {
    if (atOnce) {
      login(connection, BareWebSocketServer.SERVER_ID, BareWebSocketServer.AT_ONCE_NONCE);
    }
  }

  private void login(WsConnection connection, String serverId, String nonce) {
    UserName user = new UserName(name);
    joinSentNow();
    connection.send(
        ClientCodec.encode(
            new ClientMessage.Login(
                1, user, identity.publicKey(), LoginProof.sign(identity, serverId, nonce, user))));
  }

  /** The length of the welcome this peer received (its bytes: a welcome is ASCII), or 0. */
  int welcomeLength() {
    return welcomeLength;
  }

  @Override
  protected URI uri(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  @Override
  public void onText(WsConnection connection, String text) {
    if (text.startsWith("{\"type\":\"presence\"")) {
      if (watchPending) {
        watchPending = false; // the answer to the watch
        ready();
      } else {
        presence(text);
      }
    } else if (text.startsWith("{\"type\":\"offer\"")) {
      relayed(text);
    } else if (text.startsWith("{\"type\":\"challenge\"")) {
      var challenge = (ServerMessage.Challenge) ServerCodec.decode(text);
      login(connection, challenge.serverId(), challenge.nonce());
    } else if (text.startsWith("{\"type\":\"welcome\"")) {
      welcomeLength = text.length();
      if (watches.isEmpty()) {
        ready();
      } else {
        watchPending = true;
        connection.send(
            ClientCodec.encode(
                new ClientMessage.Watch(watches.stream().map(UserName::new).toList())));
      }
    } else if (text.startsWith("{\"type\":\"error\"")) {
      failed(text);
    }
  }

  @Override
  public void relay(String to, String payload) {
    send("{\"type\":\"offer\",\"to\":\"" + to + "\",\"data\":" + payload + "}");
  }
}
