package dev.parley.bench.load;

import java.net.URI;

/** A PeerJS client: registers its id with a token and waits for OPEN. */
final class PeerJsPeer extends LoadPeer {
  private final String path;

  PeerJsPeer(String name, String path) {
    super(name);
    this.path = path;
  }

  @Override
  public LoadPeer again() {
    return new PeerJsPeer(name, path);
  }

  @Override
  protected URI uri(int port) {
    joinSentNow();
    return URI.create(
        "ws://127.0.0.1:"
            + port
            + path
            + "?key=peerjs&id="
            + name
            + "&token=t"
            + name
            + "&version=1.5.5");
  }

  @Override
  public void onText(WsConnection connection, String text) {
    if (text.startsWith("{\"type\":\"OFFER\"")) {
      relayed(text);
    } else if (text.equals("{\"type\":\"OPEN\"}")) {
      ready();
    } else if (text.contains("\"ERROR\"") || text.contains("ID-TAKEN")) {
      failed(text);
    }
  }

  @Override
  public void relay(String to, String payload) {
    send("{\"type\":\"OFFER\",\"dst\":\"" + to + "\",\"payload\":" + payload + "}");
  }
}
