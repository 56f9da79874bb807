package dev.parley.bench.load;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.Identity;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.util.List;

/** A user of Parley's native protocol: answers the challenge and logs in with its own key. */
final class ParleyPeer extends LoadPeer {
  private final Identity identity;

  ParleyPeer(String name) {
    this(name, Identity.generate());
  }

  private ParleyPeer(String name, Identity identity) {
    super(name);
    this.identity = identity;
  }

  @Override
  public LoadPeer again() {
    return new ParleyPeer(name, identity);
  }

  @Override
  public void watch(List<String> names) {
    send(ClientCodec.encode(new ClientMessage.Watch(names.stream().map(UserName::new).toList())));
  }

  @Override
  protected URI uri(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  @Override
  public void onText(WsConnection connection, String text) {
    if (text.startsWith("{\"type\":\"presence\"")) {
      presence(text);
    } else if (text.startsWith("{\"type\":\"offer\"")) {
      relayed(text);
    } else if (text.startsWith("{\"type\":\"challenge\"")) {
      var challenge = (ServerMessage.Challenge) ServerCodec.decode(text);
      UserName user = new UserName(name);
      joinSentNow();
      connection.send(
          ClientCodec.encode(
              new ClientMessage.Login(
                  1,
                  user,
                  identity.publicKey(),
                  LoginProof.sign(identity, challenge.serverId(), challenge.nonce(), user))));
    } else if (text.startsWith("{\"type\":\"welcome\"")) {
      ready();
    } else if (text.startsWith("{\"type\":\"error\"")) {
      failed(text);
    }
  }

  @Override
  public void relay(String to, String payload) {
    send("{\"type\":\"offer\",\"to\":\"" + to + "\",\"data\":" + payload + "}");
  }
}
