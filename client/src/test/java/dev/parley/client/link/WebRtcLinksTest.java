package dev.parley.client.link;

import dev.parley.client.loop.ThreadLoop;
import dev.parley.client.server.ServerConnection;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebRtcLinks} keeps the contract: real webrtc-java peer connections on loopback, signalled
 * through a real server (with no STUN or TURN, so only host candidates).
 */
class WebRtcLinksTest extends PeerLinksContract {
  @TempDir Path data;
  private ParleyServer server;
  private final List<Client> clients = new ArrayList<>();

  private record Client(
      UserName name,
      ServerConnection connection,
      WebRtc webRtc,
      ThreadLoop loop,
      WebRtcLinks links,
      Events events)
      implements Side {}

  @Override
  protected Side client(UserName name, KeyPins pins) {
    if (server == null) {
      server =
          ParleyServer.start(
              ServerConfig.defaults().withPort(0).withDataDirectory(data.resolve("server")));
    }
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    ServerConnection connection = new ServerConnection(uri, name, Identity.generate());
    WebRtc webRtc = WebRtc.start();
    ThreadLoop loop = new ThreadLoop("links-" + name);
    Events events = new Events(loop);
    WebRtcLinks links = new WebRtcLinks(connection, webRtc.factory(), pins, loop, events);
    connection.login();
    Client client = new Client(name, connection, webRtc, loop, links, events);
    for (Client other : clients) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> other.connection.onlineKey(name).isPresent());
    }
    clients.add(client);
    return client;
  }

  @Override
  protected void stopAll() {
    for (Client client : clients) {
      client.links.close();
      client.connection.close();
      client.loop.close();
      client.webRtc.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
