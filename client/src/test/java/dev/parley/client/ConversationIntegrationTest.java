package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.chat.DeliveryFailedException;
import dev.parley.client.chat.Messenger;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.UserName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Conversations as a user has them: outbox, restarts, duplicates, typing and files. */
@Timeout(120)
class ConversationIntegrationTest {
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
  void aMessageToSomeoneOfflineWaitsInTheOutboxUntilTheyJoin() {
    TestBed.Peer alice = bed.login("alice");
    // bob has never been online: the message waits for him.
    var sending = alice.client().send(BOB, "see you later");
    assertThat(sending.entry().state()).isEqualTo(Delivery.QUEUED);

    TestBed.Peer bob = bed.login("bob");

    assertThat(await(sending.delivered()).state()).isEqualTo(Delivery.DELIVERED);
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("see you later");
  }

  @Test
  void theOutboxSurvivesTheSendersRestart() {
    ParleyClient first = bed.login("alice").client();
    String id = first.send(BOB, "written before a restart").entry().id();
    first.close();

    TestBed.Peer bob = bed.login("bob");
    assertThat(bob.client().history(ALICE, 10)).isEmpty();
    TestBed.Peer alice = bed.login("alice");

    Entry received = Recorder.next(bob.events().received);
    assertThat(received.id()).isEqualTo(id);
    assertThat(received.text()).isEqualTo("written before a restart");
    assertThat(alice.events().until(id, Delivery.DELIVERED).text())
        .isEqualTo("written before a restart");
  }

  @Test
  void aMessageReceivedTwiceIsShownOnceAndAcknowledgedBothTimes() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    Recorder.next(alice.events().joined);
    PeerLink toBob = await(alice.client().link(BOB));
    var twice = new ChannelMessage.Chat(UUID.randomUUID().toString(), 1, "once only");

    toBob.send(twice);
    toBob.send(twice);
    await(alice.client().send(BOB, "after").delivered());

    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("once only");
    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("after");
    assertThat(bob.client().history(ALICE, 10))
        .extracting(Entry::text)
        .containsExactly("once only", "after");
  }

  @Test
  void typingIsShownAndClearedByTheMessage() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    Recorder.next(alice.events().joined);
    await(alice.client().link(BOB));
    Recorder.next(bob.events().linkOpened);
    Recorder.next(alice.events().linkOpened); // typing goes only over a link the client knows open

    alice.client().typing(BOB, true);
    assertThat(Recorder.next(bob.events().typing)).isTrue();
    await(alice.client().send(BOB, "done typing").delivered());
    assertThat(Recorder.next(bob.events().typing)).isFalse();
  }

  @Test
  void filesCrossTheLinkBothWaysVerifiedWithProgress() throws Exception {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    Recorder.next(alice.events().joined);
    Path photo = data.resolve("photo.bin");
    byte[] bytes = new byte[5 * 1024 * 1024 + 123];
    new Random(7).nextBytes(bytes);
    Files.write(photo, bytes);
    long relayedBefore = bed.server().metrics().relayedBytesTotal();

    var sending = alice.client().sendFile(BOB, photo);
    Entry delivered = await(sending.delivered());

    Entry received = Recorder.next(bob.events().received);
    assertThat(received.text()).isEqualTo("photo.bin");
    Path saved = received.fileInfo().orElseThrow().path();
    assertThat(saved).startsWith(bed.downloads("bob"));
    assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
    assertThat(delivered.fileInfo().orElseThrow().sha256())
        .isEqualTo(received.fileInfo().orElseThrow().sha256());
    assertThat(Recorder.until(alice.events().progress, done -> done == bytes.length))
        .isEqualTo(bytes.length);
    assertThat(Recorder.until(bob.events().progress, done -> done == bytes.length))
        .isEqualTo(bytes.length);
    assertThat(bed.server().metrics().relayedBytesTotal() - relayedBefore)
        .isLessThan(bytes.length / 100);

    Path reply = data.resolve("reply.txt");
    Files.writeString(reply, "thanks!");
    await(bob.client().sendFile(ALICE, reply).delivered());
    Entry back = Recorder.next(alice.events().received);
    assertThat(Files.readString(back.fileInfo().orElseThrow().path())).isEqualTo("thanks!");

    // The same name again is saved beside the first, not over it.
    await(alice.client().sendFile(BOB, photo).delivered());
    assertThat(Recorder.next(bob.events().received).fileInfo().orElseThrow().path().getFileName())
        .hasToString("photo (2).bin");
  }

  @Test
  void aFileLargerThanTheReceiverTakesFailsWithItsReason() throws Exception {
    TestBed.Peer alice = bed.login("alice");
    bed.login(
        "bob",
        bed.ws(),
        new Messenger.Options(
            Duration.ofMinutes(5), 1000, Messenger.Options.DEFAULTS.presenceGrace()));
    Recorder.next(alice.events().joined);
    Path big = data.resolve("big.bin");
    Files.write(big, new byte[1001]);

    var sending = alice.client().sendFile(BOB, big);

    assertThatThrownBy(() -> await(sending.delivered()))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(DeliveryFailedException.class)
        .hasMessageContaining("too_large");
    assertThat(alice.client().history(BOB, 1).get(0).state()).isEqualTo(Delivery.FAILED);
  }

  @Test
  void aFileWhoseBytesDoNotMatchItsHashIsRefused() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    Recorder.next(alice.events().joined);
    PeerLink toBob = await(alice.client().link(BOB));
    UUID id = UUID.randomUUID();

    toBob.send(new ChannelMessage.FileOffer(id.toString(), 1, "forged.txt", 5, "0".repeat(64), ""));
    toBob.sendChunk(id, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 5);

    assertThat(Recorder.next(bob.events().problems)).contains("forged.txt").contains("damaged");
    assertThat(bob.client().history(ALICE, 10)).isEmpty();
    assertThat(bed.downloads("bob").resolve("forged.txt")).doesNotExist();
  }

  @Test
  void anIdleLinkIsClosedAndTheNextMessageOpensANewOne() {
    var quickToIdle =
        new Messenger.Options(
            Duration.ofSeconds(2), 1L << 30, Messenger.Options.DEFAULTS.presenceGrace());
    TestBed.Peer alice = bed.login("alice", bed.ws(), quickToIdle);
    TestBed.Peer bob = bed.login("bob");
    Recorder.next(alice.events().joined);
    await(alice.client().send(BOB, "one").delivered());
    PeerLink first = await(alice.client().link(BOB));

    assertThat(Recorder.next(bob.events().linkClosed)).isEqualTo(ALICE);
    await(first.closed());

    await(alice.client().send(BOB, "two").delivered());
    assertThat(await(alice.client().link(BOB)).id()).isNotEqualTo(first.id());
    assertThat(bob.client().history(ALICE, 10))
        .extracting(Entry::text)
        .containsExactly("one", "two");
  }

  @Test
  void threeClientsTalkPairwise() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");
    TestBed.Peer carol = bed.login("carol");
    UserName carolsName = new UserName("carol");

    await(alice.client().send(BOB, "a to b").delivered());
    await(bob.client().send(carolsName, "b to c").delivered());
    await(carol.client().send(ALICE, "c to a").delivered());

    assertThat(Recorder.next(bob.events().received).text()).isEqualTo("a to b");
    assertThat(Recorder.next(carol.events().received).text()).isEqualTo("b to c");
    assertThat(Recorder.next(alice.events().received).text()).isEqualTo("c to a");
    assertThat(alice.client().conversations()).containsExactly(carolsName, BOB);
  }
}
