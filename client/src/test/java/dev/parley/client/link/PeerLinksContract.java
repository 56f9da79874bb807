package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.loop.EventLoop;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link PeerLinks}, as its Javadoc states it, run against each implementation: a
 * subclass makes the clients, each with its own event loop on a thread of its own, and everything
 * else is the same.
 */
@Timeout(120)
abstract class PeerLinksContract {
  static final UserName ALICE = new UserName("alice");
  static final UserName BOB = new UserName("bob");

  /** One client: its links, what they reported, and its loop. */
  interface Side {
    UserName name();

    PeerLinks links();

    Events events();

    EventLoop loop();
  }

  private final List<Side> sides = new ArrayList<>();

  /**
   * Makes a client called {@code name} that trusts keys by {@code pins}, logged in (online) and
   * seeing every client made before it online.
   */
  protected abstract Side client(UserName name, KeyPins pins);

  /** Stops whatever {@link #client} started. */
  protected abstract void stopAll();

  protected final Side side(UserName name, KeyPins pins) {
    Side side = client(name, pins);
    sides.add(side);
    return side;
  }

  protected final Side side(UserName name) {
    return side(name, new MemoryKeyPins());
  }

  @AfterEach
  void everyEventCameOnItsClientsLoop() {
    try {
      for (Side side : sides) {
        assertThat(side.events().offLoop).as("events off %s's loop", side.name()).hasValue(0);
      }
    } finally {
      stopAll();
    }
  }

  @Test
  void aLinkOpensOnBothSidesAndSaysHowItGoes() {
    Side alice = side(ALICE);
    Side bob = side(BOB);

    PeerLink link = await(alice.links().open(BOB));

    assertThat(Events.next(alice.events().opened)).isSameAs(link);
    PeerLink bobs = Events.next(bob.events().opened);
    assertThat(bobs.id()).isEqualTo(link.id());
    assertThat(bobs.peer()).isEqualTo(ALICE);
    assertThat(link.isOpen()).isTrue();
    assertThat(link.path())
        .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(LinkPath.Kind.DIRECT));
    assertThat(bobs.path())
        .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(LinkPath.Kind.DIRECT));
    assertThat(await(link.currentPath())).isEqualTo(link.path());
    assertThat(alice.loop().call(() -> alice.links().link(BOB))).containsSame(link);
    assertThat(alice.loop().call(() -> alice.links().links())).containsExactly(link);
  }

  @Test
  void openingTwiceGivesTheSameLink() {
    Side alice = side(ALICE);
    side(BOB);

    CompletableFuture<PeerLink> first = alice.links().open(BOB);
    CompletableFuture<PeerLink> second = alice.links().open(BOB);

    assertThat(await(second)).isSameAs(await(first));
    assertThat(await(alice.links().open(BOB))).isSameAs(await(first));
  }

  @Test
  void messagesAndChunksArriveInTheOrderSentEachOnce() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    PeerLink link = await(alice.links().open(BOB));
    Events.next(bob.events().opened);
    UUID file = UUID.randomUUID();
    byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
    List<String> sent = new ArrayList<>();

    for (int i = 0; i < 200; i++) {
      if (i % 3 == 0) {
        link.sendChunk(file, data, 0, 1 + i % data.length);
        sent.add("chunk " + (1 + i % data.length));
      } else {
        link.send(new ChannelMessage.Chat("m" + i, i, "message " + i));
        sent.add("message " + i);
      }
    }

    List<String> arrived = new ArrayList<>();
    while (arrived.size() < sent.size()) {
      arrived.add(Events.next(bob.events().arrived));
    }
    assertThat(arrived).containsExactlyElementsOf(sent);
    assertThat(bob.events().arrived).isEmpty();
  }

  @Test
  void aSenderThatFilledTheBufferIsToldWhenItDrained() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    PeerLink link = await(alice.links().open(BOB));
    Events.next(bob.events().opened);
    UUID file = UUID.randomUUID();
    byte[] chunk = new byte[FileChunk.MAX_DATA];

    boolean more = true;
    for (int i = 0; more && i < 4096; i++) {
      more = link.sendChunk(file, chunk, 0, chunk.length);
    }

    assertThat(more).as("sendChunk says to wait once the buffer is full").isFalse();
    assertThat(Events.next(alice.events().drained)).isSameAs(link);
    assertThat(link.bufferedAmount()).isLessThanOrEqualTo(PeerLink.LOW_WATER);
  }

  @Test
  void aLinkClosedByOneSideIsReportedClosedOnBothSidesOnce() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    PeerLink link = await(alice.links().open(BOB));
    PeerLink bobs = Events.next(bob.events().opened);

    link.close();

    assertThat(Events.next(alice.events().closed)).isSameAs(link);
    assertThat(Events.next(bob.events().closed)).isSameAs(bobs);
    await(link.closed());
    assertThat(link.isOpen()).isFalse();
    assertThatThrownBy(() -> link.send(new ChannelMessage.Typing(true)))
        .isInstanceOf(LinkException.class);
    // A new link, and still one closed event each for the old one.
    PeerLink next = await(bob.links().open(ALICE));
    assertThat(next.id()).isNotEqualTo(link.id());
    assertThat(alice.events().closed).isEmpty();
    assertThat(bob.events().closed).isEmpty();
    assertThat(alice.loop().call(() -> alice.links().link(BOB).map(PeerLink::id)))
        .contains(next.id());
  }

  @Test
  void anIdleLinkIsHungUpLikeAnyOther() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    PeerLink link = await(alice.links().open(BOB));
    Events.next(bob.events().opened); // open on both sides: a hangup before that is a refusal

    link.closeIdle();

    assertThat(Events.next(bob.events().closed).id()).isEqualTo(link.id());
  }

  @Test
  void aPinnedKeyThatDiffersRefusesTheLinkBeforeItIsTried() {
    KeyPins pins = new MemoryKeyPins();
    pins.accept(BOB, Identity.generate().publicKey());
    Side alice = side(ALICE, pins);
    Side bob = side(BOB);

    assertThatThrownBy(() -> await(alice.links().open(BOB)))
        .hasCauseInstanceOf(KeyChangedException.class);
    Events.Refusal refusal = Events.next(alice.events().refused);
    assertThat(refusal.peer()).isEqualTo(BOB);
    assertThat(refusal.why()).isInstanceOf(KeyChangedException.class);
    assertThat(bob.loop().call(() -> bob.links().link(ALICE))).isEmpty();
    assertThat(alice.events().opened).isEmpty();
  }

  @Test
  void anOfferFromSomeoneWhoseKeyChangedIsRefusedOnBothSides() {
    Side alice = side(ALICE);
    KeyPins pins = new MemoryKeyPins();
    pins.accept(ALICE, Identity.generate().publicKey());
    Side bob = side(BOB, pins);

    assertThatThrownBy(() -> await(alice.links().open(BOB)))
        .hasCauseInstanceOf(LinkRefusedException.class)
        .hasMessageContaining("bob hung up: key_changed");
    assertThat(Events.next(alice.events().refused).why()).isInstanceOf(LinkRefusedException.class);
    assertThat(Events.next(bob.events().refused).why()).isInstanceOf(KeyChangedException.class);
    assertThat(alice.events().opened).isEmpty();
    assertThat(bob.events().opened).isEmpty();
  }

  @Test
  void offersCrossingEachOtherEndInOneLink() {
    Side alice = side(ALICE);
    Side bob = side(BOB);

    CompletableFuture<PeerLink> fromAlice = alice.links().open(BOB);
    CompletableFuture<PeerLink> fromBob = bob.links().open(ALICE);

    assertThat(await(fromAlice).id()).isEqualTo(await(fromBob).id());
    assertThat(Events.next(alice.events().opened).id()).isEqualTo(await(fromAlice).id());
    assertThat(Events.next(bob.events().opened).id()).isEqualTo(await(fromAlice).id());
    assertThat(alice.events().refused).isEmpty();
    assertThat(bob.events().refused).isEmpty();
  }

  @Test
  void openingALinkToSomeoneOfflineFailsAtOnceAndReportsNothing() {
    Side alice = side(ALICE);
    side(BOB);

    assertThatThrownBy(() -> await(alice.links().open(new UserName("carol"))))
        .hasCauseInstanceOf(LinkException.class)
        .hasMessageContaining("carol is not online");
    await(alice.links().open(BOB)); // something else happens meanwhile
    assertThat(alice.events().refused).isEmpty();
  }

  @Test
  void closingTheLinksHangsUpEveryLinkAndReportsNothingMore() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    PeerLink link = await(alice.links().open(BOB));
    Events.next(alice.events().opened);
    Events.next(bob.events().opened); // open on both sides: a hangup before that is a refusal

    alice.links().close();

    assertThat(Events.next(bob.events().closed).id()).isEqualTo(link.id());
    await(link.closed());
    assertThat(alice.events().closed).isEmpty();
  }

  /** Waits for {@code future}, up to the test timeout. */
  static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(Events.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
  }
}
