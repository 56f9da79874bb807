package dev.parley.bench.load;

import java.net.URI;

/**
 * A client of the original design's Socket.IO server, speaking Engine.IO 4 over a WebSocket: open
 * packet, namespace connect, pings answered, events as {@code 42["name",arg]}.
 */
final class SocketIoPeer extends LoadPeer {

  SocketIoPeer(String name) {
    super(name);
  }

  @Override
  public LoadPeer again() {
    return new SocketIoPeer(name);
  }

  @Override
  protected URI uri(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
  }

  @Override
  public void onText(WsConnection connection, String text) {
    if (text.startsWith("42[\"joinServer\"")) {
      presence(text);
    } else if (text.equals("2")) {
      connection.send("3");
    } else if (text.startsWith("0{")) {
      connection.send("40");
    } else if (text.startsWith("40")) {
      ready();
    } else if (text.startsWith("44")) {
      failed(text);
    }
  }

  @Override
  public void announce() {
    // Stamped on the connection's loop, which then writes it, as Parley's login is (it answers a
    // challenge there): not on the scenario's thread, which could be taken off its core between
    // the stamp and waking the loop.
    onLoop(
        () -> {
          joinSentNow();
          send("42[\"username\",\"" + name + "\"]");
        });
  }

  @Override
  public void relay(String to, String payload) {
    throw new UnsupportedOperationException("the original design relays nothing");
  }
}
