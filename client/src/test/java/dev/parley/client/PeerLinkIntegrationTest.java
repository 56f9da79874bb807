package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.chat.Messenger;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.Profile;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.protocol.Identity;
import dev.parley.protocol.Json;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class PeerLinkIntegrationTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");
  private static final Duration CANDIDATE_HOLD = Duration.ofSeconds(10);

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
  void messagesCrossADirectLinkBothWaysAndNotTheServer() {
    long before = bed.server().metrics().relayedBytesTotal();

    var sending = alice.client().send(BOB, "hello bob");
    assertThat(sending.entry().state()).isEqualTo(Delivery.QUEUED);
    Entry delivered = await(sending.delivered());
    assertThat(delivered.state()).isEqualTo(Delivery.DELIVERED);
    alice.events().until(sending.entry().id(), Delivery.SENT);
    Entry atBob = Recorder.next(bob.events().received);
    assertThat(atBob.text()).isEqualTo("hello bob");
    assertThat(atBob.peer()).isEqualTo(ALICE);
    assertThat(atBob.id()).isEqualTo(sending.entry().id());

    await(bob.client().send(ALICE, "hi alice").delivered());
    assertThat(Recorder.next(alice.events().received).text()).isEqualTo("hi alice");

    String large = "x".repeat(ChannelMessage.MAX_TEXT);
    await(alice.client().send(BOB, large).delivered());
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo(large);

    long relayed = bed.server().metrics().relayedBytesTotal() - before;
    assertThat(relayed).isPositive().isLessThan(large.length() / 10);
    assertThat(alice.client().history(BOB, 10))
        .extracting(Entry::text)
        .containsExactly("hello bob", "hi alice", large);
    assertThat(bob.client().history(ALICE, 10))
        .extracting(Entry::outgoing)
        .containsExactly(false, true, false);
  }

  @Test
  void tooLongAMessageIsRefusedBeforeItIsStored() {
    assertThatThrownBy(() -> alice.client().send(BOB, "x".repeat(ChannelMessage.MAX_TEXT + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 65536 characters");
    assertThat(alice.client().history(BOB, 10)).isEmpty();
  }

  @Test
  void aLinkOnOneMachineIsDirectAndSaysWhichPairItTakes() {
    PeerLink toBob = await(alice.client().link(BOB));

    LinkPath path = named(toBob);
    assertThat(path.kind()).as(path.describe()).isEqualTo(LinkPath.Kind.DIRECT);
    assertThat(path.local().type()).isEqualTo("host");
    assertThat(path.remote().type()).isEqualTo("host");
    Recorder.next(bob.events().paths); // the listener is told the path the link opened with
    assertThat(named(await(bob.client().link(ALICE))).kind()).isEqualTo(LinkPath.Kind.DIRECT);
    // Read again from WebRTC, which may since have moved to another pair of host candidates (one
    // machine has an IPv4 and an IPv6 address).
    assertThat(await(alice.client().path(BOB)))
        .hasValueSatisfying(now -> assertThat(now.kind()).isEqualTo(LinkPath.Kind.DIRECT));
    assertThat(await(bob.client().path(new UserName("carol")))).isEmpty();
  }

  @Test
  void aPeerEndLearnedBeforeItsSignalIsNamedWhenTheSignalComes() {
    AtomicBoolean held = new AtomicBoolean();
    CompletableFuture<Void> open = new CompletableFuture<>();
    try (TamperingProxy slowSignals =
        new TamperingProxy(bed.ws(), frame -> holdFirstCandidate(frame, held, open))) {
      TestBed.Peer carol = bed.login("carol", slowSignals.ws(), Messenger.Options.DEFAULTS);

      PeerLink toBob = await(carol.client().link(BOB));
      assertThat(Recorder.next(carol.events().linkOpened)).isEqualTo(BOB);
      Optional<LinkPath.Kind> atOpen =
          Optional.ofNullable(carol.events().paths.poll()).map(LinkPath::kind);
      open.complete(null);

      assertThat(held).isTrue();
      LinkPath path = named(toBob);
      assertThat(path.kind()).as(path.describe()).isEqualTo(LinkPath.Kind.DIRECT);
      if (!atOpen.equals(Optional.of(LinkPath.Kind.DIRECT))) { // the race made here: it is told
        assertThat(Recorder.next(carol.events().pathsChanged).kind())
            .as("opened %s", atOpen)
            .isEqualTo(LinkPath.Kind.DIRECT);
      }
      assertThat(carol.events().pathsChanged).isEmpty();
    }
  }

  /**
   * The link's path once its peer end is named: a link can open before the signal of the candidate
   * the peer's checks came from, and is then told the end's name by that signal.
   */
  private static LinkPath named(PeerLink link) {
    return Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> link.path().filter(p -> !p.remote().type().equals("prflx")), Optional::isPresent)
        .orElseThrow();
  }

  /**
   * Holds the first candidate the server passes on until {@code open} completes (at most {@link
   * #CANDIDATE_HOLD}), as a slow path through the server would: the peer's connectivity checks,
   * sent straight, arrive first and the link opens on them.
   */
  private static String holdFirstCandidate(
      String frame, AtomicBoolean held, CompletableFuture<Void> open) {
    if (Json.parse(frame).path("type").asText().equals("candidate")
        && held.compareAndSet(false, true)) {
      try {
        open.get(CANDIDATE_HOLD.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // passed on all the same: the link opens on the candidate instead
      }
    }
    return frame;
  }

  @Test
  void openingTwiceGivesTheSameLink() {
    PeerLink first = await(alice.client().link(BOB));

    assertThat(await(alice.client().link(BOB))).isSameAs(first);
  }

  @Test
  void closingALinkTellsThePeerAndTheNextMessageOpensANewOne() {
    PeerLink toBob = await(alice.client().link(BOB));
    Recorder.next(bob.events().linkOpened);

    toBob.close();

    assertThat(Recorder.next(bob.events().linkClosed)).isEqualTo(ALICE);
    await(toBob.closed());
    assertThat(toBob.isOpen()).isFalse();
    await(alice.client().send(BOB, "again").delivered());
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("again");
  }

  @Test
  void aChangedKeyIsRefusedLoudlyUntilAccepted() {
    try (Profile carolsProfile = Profile.open(bed.profile("carol"))) {
      carolsProfile.pins().accept(BOB, Identity.generate().publicKey());
    }
    TestBed.Peer carol = bed.login("carol");

    assertThatThrownBy(() -> await(carol.client().link(BOB)))
        .hasCauseInstanceOf(KeyChangedException.class)
        .hasMessageContaining("identity key of 'bob' has changed");
    var sending = carol.client().send(BOB, "are you really bob?");
    assertThat(Recorder.next(carol.events().keyChanged)).isEqualTo(bob.client().publicKey());
    assertThat(sending.delivered()).isNotDone();
    String before = carol.client().safetyNumber(BOB).orElseThrow();

    assertThat(carol.client().acceptKey(BOB)).contains(bob.client().publicKey());

    await(sending.delivered());
    String after = carol.client().safetyNumber(BOB).orElseThrow();
    assertThat(after)
        .isNotEqualTo(before)
        .isEqualTo(bob.client().safetyNumber(new UserName("carol")).orElseThrow());
  }

  @Test
  void offersCrossingEachOtherEndInOneLink() {
    var fromAlice = alice.client().link(BOB);
    var fromBob = bob.client().link(ALICE);

    assertThat(await(fromAlice).id()).isEqualTo(await(fromBob).id());
  }

  /** Waits for {@code future}, up to the test timeout. */
  static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(Recorder.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
  }
}
