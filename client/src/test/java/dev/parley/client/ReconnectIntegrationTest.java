package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.server.ServerState;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Losing the server does not stop conversations on open links; clients come back by themselves. */
@Timeout(120)
class ReconnectIntegrationTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  @TempDir Path data;
  private TestBed bed;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void openLinksKeepDeliveringWhileTheServerIsDownAndClientsReconnect() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    Recorder.until(alice.events().states, s -> s == ServerState.ONLINE);
    Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
    await(alice.client().send(BOB, "before").delivered());
    Recorder.next(bob.events().received);

    bed.stopServer();

    Recorder.until(alice.events().states, s -> s == ServerState.RECONNECTING);
    Recorder.until(bob.events().states, s -> s == ServerState.RECONNECTING);
    await(alice.client().send(BOB, "while the server is down").delivered());
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("while the server is down");
    await(bob.client().send(ALICE, "still here").delivered());
    assertThat(Recorder.next(alice.events().received).text()).isEqualTo("still here");

    bed.restartServer();

    Recorder.until(alice.events().states, s -> s == ServerState.ONLINE);
    Recorder.until(bob.events().states, s -> s == ServerState.ONLINE);
    TestBed.Peer carol = bed.login("carol");
    assertThat(Recorder.until(alice.events().joined, n -> n.equals(new UserName("carol"))))
        .isEqualTo(new UserName("carol"));
    await(carol.client().send(ALICE, "hello after the restart").delivered());
    assertThat(Recorder.next(alice.events().received).text()).isEqualTo("hello after the restart");
    assertThat(alice.client().online()).contains(BOB, new UserName("carol"));
  }
}
