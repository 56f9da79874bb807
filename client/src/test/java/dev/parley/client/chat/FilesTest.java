package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files (docs/p2p.md, "Files"), in memory. */
class FilesTest {
  private static final UserName ALICE = new UserName("alice");
  private static final UserName BOB = new UserName("bob");

  @TempDir Path dir;
  private World world;
  private World.Client alice;

  @BeforeEach
  void start() {
    world = new World(dir.resolve("world"));
    alice = world.client("alice").online();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void aFileCrossesVerifiedWithItsProgressReportedOnBothSides() throws Exception {
    World.Client bob = world.client("bob").online();
    // Larger than a link buffers before it asks the sender to wait.
    byte[] bytes = randomBytes(3 * 1024 * 1024 + 123);
    Path photo = write("photo.bin", bytes);

    Messenger.Sending sending = alice.messenger.sendFile(BOB, photo);
    world.run();

    assertThat(sending.delivered()).isCompleted();
    assertThat(alice.heard.states(sending.entry().id()))
        .containsExactly(Delivery.QUEUED, Delivery.SENT, Delivery.DELIVERED);
    Entry received = bob.heard.received.get(0);
    assertThat(received.text()).isEqualTo("photo.bin");
    Path saved = received.fileInfo().orElseThrow().path();
    assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
    assertThat(received.fileInfo().orElseThrow().sha256())
        .isEqualTo(sending.entry().fileInfo().orElseThrow().sha256());
    assertThat(alice.heard.progressOut)
        .isSorted()
        .endsWith((long) bytes.length)
        .hasSizeGreaterThan(10);
    assertThat(bob.heard.progressIn)
        .isSorted()
        .endsWith((long) bytes.length)
        .hasSizeGreaterThan(10);
  }

  @Test
  void aFileWithTheNameOfOneReceivedBeforeIsSavedBesideIt() throws Exception {
    World.Client bob = world.client("bob").online();
    Path notes = write("notes.txt", "first".getBytes(StandardCharsets.UTF_8));
    alice.messenger.sendFile(BOB, notes);
    world.run();
    Files.writeString(notes, "second");

    alice.messenger.sendFile(BOB, notes);
    world.run();

    assertThat(bob.heard.received)
        .extracting(e -> e.fileInfo().orElseThrow().path().getFileName().toString())
        .containsExactly("notes.txt", "notes (2).txt");
    assertThat(Files.readString(bob.heard.received.get(1).fileInfo().orElseThrow().path()))
        .isEqualTo("second");
  }

  @Test
  void aFileLargerThanTheReceiverTakesIsRefusedWithItsReason() throws Exception {
    World.Client bob =
        world
            .client(
                "bob",
                new Messenger.Options(
                    Duration.ofMinutes(5), 1000, Messenger.Options.DEFAULTS.presenceGrace()))
            .online();
    Path big = write("big.bin", new byte[1001]);

    Messenger.Sending sending = alice.messenger.sendFile(BOB, big);
    world.run();

    assertThat(sending.delivered())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(DeliveryFailedException.class)
        .withMessageContaining("too_large");
    assertThat(alice.messenger.history(BOB, 1).get(0).state()).isEqualTo(Delivery.FAILED);
    assertThat(bob.heard.problems)
        .extracting(Heard.At::what)
        .containsExactly("refused big.bin from alice: too large");
    assertThat(bob.heard.received).isEmpty();
  }

  @Test
  void aFileWhoseBytesDoNotMatchItsHashIsDiscardedAndRefused() {
    World.Client bob = world.client("bob").online();
    RawPeer mallory = new RawPeer(world, "mallory").online();
    PeerLink toBob = opened(mallory.links.open(BOB));
    UUID id = UUID.randomUUID();

    toBob.send(new ChannelMessage.FileOffer(id.toString(), 1, "forged.txt", 5, "0".repeat(64), ""));
    toBob.sendChunk(id, "hello".getBytes(StandardCharsets.UTF_8), 0, 5);
    world.run();

    assertThat(mallory.received)
        .containsExactly(
            new ChannelMessage.Nack(
                id.toString(), ChannelMessage.Nack.HASH_MISMATCH, "the SHA-256 does not match"));
    assertThat(bob.heard.problems)
        .extracting(Heard.At::what)
        .containsExactly("forged.txt from mallory arrived damaged and was discarded");
    assertThat(bob.heard.received).isEmpty();
    assertThat(bob.messenger.history(new UserName("mallory"), 10)).isEmpty();
  }

  @Test
  void aFileWeHaveAlreadyIsAcknowledgedAgainAndNotSavedTwice() throws Exception {
    World.Client bob = world.client("bob").online();
    RawPeer mallory = new RawPeer(world, "mallory").online();
    PeerLink toBob = opened(mallory.links.open(BOB));
    byte[] bytes = "twice".getBytes(StandardCharsets.UTF_8);
    var offer =
        new ChannelMessage.FileOffer(
            UUID.randomUUID().toString(),
            1,
            "twice.txt",
            bytes.length,
            Sha256.of(write("t", bytes)),
            "");

    for (int i = 0; i < 2; i++) {
      toBob.send(offer);
      toBob.sendChunk(UUID.fromString(offer.id()), bytes, 0, bytes.length);
    }
    world.run();

    assertThat(mallory.acks()).containsExactly(offer.id(), offer.id());
    assertThat(bob.heard.received).hasSize(1);
  }

  @Test
  void aFileThatChangedSinceItWasQueuedFailsAndSaysWhy() throws Exception {
    World.Client bob = world.client("bob");
    Path notes = write("notes.txt", "short".getBytes(StandardCharsets.UTF_8));
    Messenger.Sending sending = alice.messenger.sendFile(BOB, notes);
    world.run();
    Files.writeString(notes, "longer than it was");

    bob.online();

    assertThat(sending.delivered()).isCompletedExceptionally();
    assertThat(alice.heard.updated.get(alice.heard.updated.size() - 1).detail())
        .contains("it changed since it was queued");
  }

  @Test
  void aFileCutOffMidwayIsSentAgainFromTheStartOnTheNextLink() throws Exception {
    World.Client bob = world.client("bob").online();
    byte[] bytes = randomBytes(2 * 1024 * 1024);
    Path big = write("big.bin", bytes);
    Messenger.Sending sending = alice.messenger.sendFile(BOB, big);
    // Run only until some of it arrived, then cut the link.
    while (bob.heard.progressIn.isEmpty()) {
      world.loop.runOne();
    }
    world.network.cut(ALICE, BOB);
    world.run();
    assertThat(sending.delivered()).isNotDone();
    assertThat(world.downloads(bob)).isEmptyDirectory();

    world.advance(Duration.ofSeconds(1)); // the wait after a broken link

    assertThat(sending.delivered()).isCompleted();
    assertThat(Files.readAllBytes(bob.heard.received.get(0).fileInfo().orElseThrow().path()))
        .isEqualTo(bytes);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(7).nextBytes(bytes);
    return bytes;
  }

  private PeerLink opened(CompletableFuture<PeerLink> link) {
    world.run();
    assertThat(link).isCompleted();
    return link.join();
  }
}
