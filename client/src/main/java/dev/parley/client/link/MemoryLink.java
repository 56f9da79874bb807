package dev.parley.client.link;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One end of a link on a {@link MemoryNetwork}: what is sent is posted to the other end's event
 * loop, in order, and counts as buffered until that loop has taken it, so that a fast sender meets
 * the same back-pressure as on a data channel.
 */
final class MemoryLink extends AbstractLink {
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

  private final MemoryLinks owner;
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicBoolean wantsDrain = new AtomicBoolean();
  private final int generation;
  private volatile @Nullable MemoryLink twin;

  /** On the owner's loop. */
  MemoryLink(MemoryLinks owner, UserName peer, IdentityKey peerKey, String id, boolean offered) {
    super(peer, peerKey, id, offered, owner.loop(), owner.table());
    this.owner = owner;
    this.generation = owner.network().cuts(owner.name(), peer);
    // The same safety net as a WebRTC link's, for a peer that never answers.
    owner.loop().schedule(this::giveUpUnlessOpen, OPEN_TIMEOUT);
  }

  @Override
  public CompletableFuture<Optional<LinkPath>> currentPath() {
    return CompletableFuture.completedFuture(path());
  }

  @Override
  public void send(ChannelMessage message) {
    String text = message.encode();
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "a data channel message is at most " + MAX_MESSAGE_BYTES + " bytes; this one is " + size);
    }
    MemoryLink to = openTwin();
    carry(to, size, () -> to.receivedText(text));
  }

  @Override
  public boolean sendChunk(UUID file, byte[] data, int offset, int length) {
    var message = FileChunk.encode(file, data, offset, length);
    MemoryLink to = openTwin();
    carry(to, message.remaining(), () -> to.receivedBinary(message));
    if (buffered.get() <= HIGH_WATER) {
      return true;
    }
    wantsDrain.set(true);
    loop().post(this::checkDrained); // the other end may have taken it all meanwhile
    return false;
  }

  @Override
  public long bufferedAmount() {
    return buffered.get();
  }

  /** We offered; the peer answers: checks that it holds the key we trust, then opens. */
  void answered(MemoryLink answer, IdentityKey proof) {
    if (ended()) {
      return; // our hangup is on its way to the other end
    }
    if (!peerKey().equals(proof)) {
      end(mismatch(), "bad_fingerprint");
      return;
    }
    twin = answer;
    markOpen(Optional.of(pathTo(answer.owner)));
    answer.loop().post(answer::confirmed);
  }

  /** We answer {@code offer}: checks that its side holds the key we trust, then answers. */
  void answer(MemoryLink offer, IdentityKey proof) {
    if (!peerKey().equals(proof)) {
      end(mismatch(), "bad_fingerprint");
      return;
    }
    Optional<LinkException> failure = owner.network().failure(owner.name(), peer());
    if (failure.isPresent()) {
      end(failure.get(), MemoryLinks.hangupFor(failure.get()));
      return;
    }
    twin = offer;
    IdentityKey ours = owner.ownKey();
    offer.loop().post(() -> offer.answered(this, ours));
  }

  /** The side that offered has opened: so do we. */
  private void confirmed() {
    MemoryLink offer = twin;
    if (!ended() && offer != null) {
      markOpen(Optional.of(pathTo(offer.owner)));
    }
  }

  /** Tells the side that offered this link that {@code from} hung up before answering it. */
  void refusedBy(UserName from, String reason, String message) {
    loop().post(() -> owner.onHangup(from, id(), reason, message));
  }

  @Override
  void release(@Nullable LinkException cause, @Nullable String hangup) {
    if (hangup == null) {
      return;
    }
    UserName self = owner.name();
    String message = cause == null ? "" : String.valueOf(cause.getMessage());
    owner
        .network()
        .client(peer())
        .ifPresent(other -> other.loop().post(() -> other.onHangup(self, id(), hangup, message)));
  }

  private MemoryLink openTwin() {
    MemoryLink to = twin;
    if (to == null || !isOpen()) {
      throw new LinkException("the link to " + peer() + " is closed");
    }
    return to;
  }

  /**
   * Hands {@code delivery} to the other end's loop; it counts as buffered until it ran there, and
   * is lost if the network cuts the link before.
   */
  private void carry(MemoryLink to, long size, Runnable delivery) {
    buffered.addAndGet(size);
    touch();
    to.loop()
        .post(
            () -> {
              if (owner.network().cuts(owner.name(), peer()) == generation) {
                delivery.run();
              }
              if (buffered.addAndGet(-size) <= LOW_WATER && wantsDrain.get()) {
                loop().post(this::checkDrained);
              }
            });
  }

  private void checkDrained() {
    if (buffered.get() <= LOW_WATER && wantsDrain.compareAndSet(true, false)) {
      drained();
    }
  }

  private void giveUpUnlessOpen() {
    if (!opened().isDone()) {
      end(
          new LinkException(peer() + " did not answer within " + OPEN_TIMEOUT.toSeconds() + " s"),
          "failed");
    }
  }

  private FingerprintMismatchException mismatch() {
    return new FingerprintMismatchException(
        "the key "
            + peer()
            + " holds is not the identity key pinned for "
            + peer()
            + "; refusing the link");
  }

  /** Both ends are host candidates on 127.0.0.1, one port per client: a direct path. */
  private LinkPath pathTo(MemoryLinks other) {
    return new LinkPath(LinkPath.Kind.DIRECT, host(owner.port()), host(other.port()));
  }

  private static LinkPath.Candidate host(int port) {
    return new LinkPath.Candidate("host", Optional.of("127.0.0.1"), port, "udp", Optional.empty());
  }
}
