package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(90)
class PeerLinkIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(PeerLinkIntegrationTest.class);
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  @TempDir Path data;
  private TestBed bed;
  private TestBed.Peer alice;
  private TestBed.Peer bob;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
    alice = bed.login("alice");
    bob = bed.login("bob");
    Recorder.next(alice.events().joined);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void aLinkOpensOnDemandAndCarriesMessagesBothWaysWithoutTheServer() {
    long before = bed.server().metrics().relayedBytesTotal();
    long start = System.nanoTime();
    PeerLink toBob = await(alice.client().link(BOB));
    PeerLink toAlice = Recorder.next(bob.events().opened);
    log.info("link opened in {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
    assertThat(toAlice.peer()).isEqualTo(ALICE);
    assertThat(toAlice.id()).isEqualTo(toBob.id());

    await(toBob.send("hello bob"));
    assertThat(Recorder.next(bob.events().messages).text()).isEqualTo("hello bob");
    await(toAlice.send("hi alice"));
    assertThat(Recorder.next(alice.events().messages).text()).isEqualTo("hi alice");

    logRoundTrips(toBob, bob.events());

    String large = "x".repeat(200 * 1024);
    await(toBob.send(large));
    ChannelMessage.Chat received = Recorder.next(bob.events().messages);
    assertThat(received.text()).isEqualTo(large);

    long relayed = bed.server().metrics().relayedBytesTotal() - before;
    log.info(
        "the server relayed {} signals, {} bytes", bed.server().metrics().relayedTotal(), relayed);
    assertThat(relayed).isPositive().isLessThan(large.length() / 10);
  }

  @Test
  void openingTwiceGivesTheSameLink() {
    PeerLink first = await(alice.client().link(BOB));

    assertThat(await(alice.client().link(BOB))).isSameAs(first);
  }

  @Test
  void closingALinkTellsThePeer() {
    PeerLink toBob = await(alice.client().link(BOB));
    PeerLink toAlice = Recorder.next(bob.events().opened);

    toBob.close();

    await(toAlice.closed());
    assertThat(toAlice.isOpen()).isFalse();
    assertThatThrownBy(() -> await(toBob.send("too late"))).hasMessageContaining("closed");
  }

  @Test
  void aChangedKeyIsRefusedUntilAccepted() {
    var pins = new MemoryKeyPins();
    pins.accept(BOB, Identity.generate().publicKey());
    TestBed.Peer carol = bed.login("carol", bed.ws(), bed.identity("carol"), pins);

    assertThatThrownBy(() -> await(carol.client().link(BOB)))
        .hasCauseInstanceOf(KeyChangedException.class)
        .hasMessageContaining("identity key of 'bob' has changed");

    pins.accept(BOB, bed.identity("bob").publicKey());
    assertThat(await(carol.client().link(BOB)).isOpen()).isTrue();
  }

  @Test
  void offersCrossingEachOtherEndInOneLink() {
    var fromAlice = alice.client().link(BOB);
    var fromBob = bob.client().link(ALICE);

    assertThat(await(fromAlice).id()).isEqualTo(await(fromBob).id());
  }

  /** Logs the median time from sending a message until its acknowledgement arrives. */
  private static void logRoundTrips(PeerLink link, Recorder receiver) {
    long[] micros = new long[50];
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      await(link.send("ping " + i));
      micros[i] = (System.nanoTime() - start) / 1000;
      Recorder.next(receiver.messages);
    }
    Arrays.sort(micros);
    log.info(
        "message round trip (send to ack): median {} us, max {} us",
        micros[micros.length / 2],
        micros[micros.length - 1]);
  }

  /** Waits for {@code future}, up to the test timeout. */
  static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(Recorder.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
  }
}
