package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
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

  @Test
  void bothSidesSayTheyReadBatchesAndABurstGoesInFewMessagesInOrder() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    WebRtcLink link = (WebRtcLink) await(alice.links().open(BOB));
    WebRtcLink bobs = (WebRtcLink) Events.next(bob.events().opened);
    Awaitility.await().atMost(Events.TIMEOUT).until(() -> link.batches() && bobs.batches());
    long before = link.dataChannelSends();
    String text = "x".repeat(100);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      sent.add(i + text);
    }
    Client sender = clients.getFirst();

    // From the loop, as the client sends (in one turn), then from another thread.
    sender
        .loop()
        .call(
            () -> {
              sent.subList(0, 2000).forEach(t -> link.send(chat(t)));
              return null;
            });
    List<String> arrived = new ArrayList<>();
    while (arrived.size() < 2000) {
      arrived.add(Events.next(bob.events().arrived));
    }
    // How many of the rest go together depends on how this thread and the loop take turns.
    assertThat(link.dataChannelSends() - before)
        .as("data channel messages for 2,000 sends in one turn of the loop")
        .isLessThan(20);
    sent.subList(2000, 2999).forEach(t -> link.send(chat(t)));
    link.sendChunk(UUID.randomUUID(), new byte[7], 0, 7); // after all queued before it
    link.send(chat(sent.get(2999)));

    while (arrived.size() < sent.size() + 1) {
      arrived.add(Events.next(bob.events().arrived));
    }
    assertThat(arrived.subList(0, 2000)).containsExactlyElementsOf(sent.subList(0, 2000));
    assertThat(arrived.subList(2000, 3000))
        .containsExactlyElementsOf(
            Stream.concat(sent.subList(2000, 2999).stream(), Stream.of("chunk 7")).toList());
    assertThat(arrived.getLast()).isEqualTo(sent.get(2999));
  }

  private static ChannelMessage.Chat chat(String text) {
    return new ChannelMessage.Chat(text.substring(0, 4), 0, text);
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
