package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.LinkListener;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.link.WebRtc;
import dev.parley.client.link.WebRtcLinks;
import dev.parley.client.loop.ThreadLoop;
import dev.parley.client.profile.Delivery;
import dev.parley.client.server.ServerConnection;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A message whose acknowledgement never comes is sent again, with the same id, until one does. */
@Timeout(120)
class ResendIntegrationTest {
  private static final UserName BOB = new UserName("bob");

  @TempDir Path data;
  private TestBed bed;
  private WebRtc webRtc;
  private ThreadLoop bobsLoop;
  private ServerConnection bobsServer;
  private PeerLinks bobsLinks;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
  }

  @AfterEach
  void stop() {
    if (bobsLinks != null) {
      bobsLinks.close();
      bobsServer.close();
      bobsLoop.close();
    }
    if (webRtc != null) {
      webRtc.close();
    }
    bed.close();
  }

  @Test
  void anUnacknowledgedMessageIsSentAgainWithTheSameId() {
    // bob is a bare link-level peer that ignores the first copy of every message.
    List<String> seen = new CopyOnWriteArrayList<>();
    LinkListener forgetful =
        new LinkListener() {
          @Override
          public void received(PeerLink link, ChannelMessage message) {
            if (message instanceof ChannelMessage.Chat chat) {
              boolean again = seen.contains(chat.id());
              // Noted before the ack goes: once acknowledged, the test may look at once.
              seen.add(chat.id());
              if (again) {
                link.send(new ChannelMessage.Ack(chat.id()));
              }
            }
          }
        };
    webRtc = WebRtc.start();
    bobsServer = new ServerConnection(bed.ws(), BOB, Identity.generate());
    bobsLoop = new ThreadLoop("bob");
    bobsLinks =
        new WebRtcLinks(bobsServer, webRtc.factory(), new MemoryKeyPins(), bobsLoop, forgetful);
    bobsServer.login();
    TestBed.Peer alice = bed.login("alice");

    var sending = alice.client().send(BOB, "are you there?");
    alice.events().until(sending.entry().id(), Delivery.SENT);
    assertThat(await(sending.delivered()).state()).isEqualTo(Delivery.DELIVERED);

    assertThat(seen).containsExactly(sending.entry().id(), sending.entry().id());
  }
}
