package dev.parley.client.chat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.LinkListener;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.Store;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The conversations of one client (docs/p2p.md, "Delivery", "Typing", "Files"): our messages and
 * files go into the profile's outbox and out over a link as soon as one is open, are sent again
 * until acknowledged, and survive restarts; the peer's are stored, de-duplicated and acknowledged.
 * Links are opened when there is something to send and closed when idle.
 *
 * <p>This class is what the user calls; {@link Conversations} runs them on the client's event loop,
 * with a class for each job. It is given the client's links ({@link PeerLinks}: over WebRTC, or in
 * memory for tests) and its server ({@link Signaling}).
 *
 * <p>Threads: all its state is the client's event loop's. The public methods post their work to the
 * loop, or run it at once when called on the loop (from a listener, say); those that return a
 * result wait for it, except {@link #send} and {@link #sendFile}, which store the entry on the
 * calling thread and hand it to the loop without waiting.
 */
public final class Messenger implements AutoCloseable {
  /**
   * Tunables; the defaults are what docs/p2p.md and docs/client.md say.
   *
   * @param idleClose how long a link may carry nothing before it is closed
   * @param maxFileBytes the largest file accepted from a peer
   * @param presenceGrace how long a peer may be away from the server before the listener hears that
   *     they left: one who comes back with the same key within it was never gone, as far as the
   *     user is told (zero: every leave at once)
   */
  public record Options(Duration idleClose, long maxFileBytes, Duration presenceGrace) {
    public static final Options DEFAULTS =
        new Options(Duration.ofMinutes(5), 1L << 30, Duration.ofSeconds(5));

    public Options {
      if (presenceGrace.isNegative()) {
        throw new IllegalArgumentException("a negative grace: " + presenceGrace);
      }
    }

    /** These options with another {@link #presenceGrace}. */
    public Options withPresenceGrace(Duration grace) {
      return new Options(idleClose, maxFileBytes, grace);
    }
  }

  /** An entry just stored, and the future its acknowledgement completes (or a refusal fails). */
  public record Sending(Entry entry, CompletableFuture<Entry> delivered) {}

  private final Signaling server;
  private final KeyPins pins;
  private final EventLoop loop;
  private final Store store;
  private final Conversations conversations;
  private final GroupChats groups;
  // Entries stored by callers off the loop, waiting for the loop to take them in (adoptHanded).
  private final Queue<Sending> handed = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean handing = new AtomicBoolean();

  /**
   * Takes up the outbox the profile holds, and makes the client's links with {@code links}, which
   * is given the listener they report to. Make it before the server session logs in, so that no
   * event is missed; everything it does happens on {@code loop}.
   */
  public Messenger(
      Signaling server,
      Function<LinkListener, PeerLinks> links,
      KeyPins pins,
      Store store,
      Path downloads,
      Options options,
      ChatListener listener,
      EventLoop loop) {
    this.server = server;
    this.pins = pins;
    this.loop = loop;
    this.store = store;
    this.conversations =
        new Conversations(server, links, pins, store, downloads, options, listener, loop);
    this.groups = new GroupChats(conversations.groups(), loop);
  }

  /** The client's group conversations. */
  public GroupChats groups() {
    return groups;
  }

  /** The client's links, for tools that want one directly. */
  public PeerLinks links() {
    return conversations.links();
  }

  // --- what the user does (any thread)

  /**
   * Stores {@code text} for {@code peer} in the outbox and sends it as soon as a link is open.
   * Returns the stored entry and a future that completes when the peer acknowledges it.
   *
   * @throws IllegalArgumentException if the text is too long or empty
   */
  public Sending send(UserName peer, String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("nothing to send");
    }
    var chat = new ChannelMessage.Chat(UUID.randomUUID().toString(), now(), text);
    return enqueue(new Entry(0, peer, chat.id(), true, chat.ts(), text, null, Delivery.QUEUED, ""));
  }

  /**
   * Stores a file for {@code peer} in the outbox (by reference: it is read when sent, and must not
   * change until then) and sends it as soon as a link is open.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not a regular file or its name is too long
   */
  public Sending sendFile(UserName peer, Path file) throws IOException {
    LocalFile local = LocalFile.read(file, Long.MAX_VALUE);
    var offer =
        new ChannelMessage.FileOffer(
            UUID.randomUUID().toString(),
            now(),
            local.name(),
            local.size(),
            local.sha256(),
            local.mime());
    var info = new Entry.FileInfo(local.size(), local.sha256(), local.mime(), local.path());
    return enqueue(
        new Entry(0, peer, offer.id(), true, offer.ts(), local.name(), info, Delivery.QUEUED, ""));
  }

  /**
   * Stores {@code draft} on the calling thread (the store is safe from any), so the caller waits
   * for its commit and not for the loop, which is then handed the entry to send. A caller sending
   * many in a row thus never waits for the loop's turn (nor the loop for it), and the loop sends
   * what was handed over meanwhile in one go.
   */
  private Sending enqueue(Entry draft) {
    CompletableFuture<Entry> delivered = new CompletableFuture<>();
    if (loop.inLoop()) {
      return new Sending(conversations.enqueue(draft, delivered), delivered);
    }
    Entry stored = store.add(draft).orElseThrow();
    handed.add(new Sending(stored, delivered));
    if (handing.compareAndSet(false, true) && !loop.post(this::adoptHanded)) {
      // Stored, so it goes with the next run.
      throw new IllegalStateException("the client is closed");
    }
    return new Sending(stored, delivered);
  }

  /**
   * On the loop: takes in what callers stored and handed over, in order. One task takes all that
   * waits, so a caller sending many in a row costs the loop one task and one wake-up, not one each.
   */
  private void adoptHanded() {
    handing.set(false);
    for (Sending next = handed.poll(); next != null; next = handed.poll()) {
      conversations.adopt(next.entry(), next.delivered());
    }
  }

  /** The user is typing to {@code peer}: tells them, at most every 3 s, if a link is open. */
  public void typing(UserName peer, boolean active) {
    loop.post(() -> conversations.typing(peer, active));
  }

  /** The last {@code limit} entries with {@code peer}, oldest first. */
  public List<Entry> history(UserName peer, int limit) {
    return loop.call(() -> conversations.history(peer, limit));
  }

  /**
   * How the open link to {@code peer} goes now (direct, through NAT, relayed, and the candidate
   * pair); empty if no link is open. Never waits on the loop, so a listener may call it.
   */
  public CompletableFuture<Optional<LinkPath>> path(UserName peer) {
    CompletableFuture<Optional<LinkPath>> result = new CompletableFuture<>();
    boolean posted =
        loop.post(
            () ->
                conversations
                    .openLink(peer)
                    .ifPresentOrElse(
                        link -> forward(link.currentPath(), result),
                        () -> result.complete(Optional.empty())));
    if (!posted) {
      result.complete(Optional.empty());
    }
    return result;
  }

  /**
   * Opens a link to {@code peer} now, for a conversation the user has opened; and watches {@code
   * peer} (for a server in contacts presence mode), as the most recent conversation.
   */
  public void connect(UserName peer) {
    loop.post(() -> conversations.opened(peer));
  }

  /**
   * The safety number of us and {@code peer}, for the key pinned for them (or, if none is pinned
   * yet, the key the server presents, which is then pinned).
   */
  public Optional<String> safetyNumber(UserName peer) {
    Optional<IdentityKey> key =
        pins.pinned(peer).or(() -> server.onlineKey(peer).map(k -> pins.pinIfAbsent(peer, k)));
    return key.map(k -> SafetyNumber.of(server.name(), server.identity().publicKey(), peer, k));
  }

  /**
   * Accepts the key the server now presents for {@code peer} in place of the pinned one, after the
   * user has checked it (for example by comparing the new safety number). A new key is not
   * verified, even if the old one was.
   *
   * @return the newly pinned key, or empty if {@code peer} is not online to present one
   */
  public Optional<IdentityKey> acceptKey(UserName peer) {
    Optional<IdentityKey> presented = server.onlineKey(peer);
    presented.ifPresent(
        key -> {
          pins.accept(peer, key);
          loop.post(() -> conversations.keyAccepted(peer));
        });
    return presented;
  }

  /**
   * Whether {@code peer} is verified: the user marked the key pinned for them as verified (after
   * comparing safety numbers), and the server presents no other key for them. So it is false while
   * a key change waits to be accepted, whatever the old key was, and after one is accepted until
   * the user verifies the new key.
   */
  public boolean isVerified(UserName peer) {
    Optional<IdentityKey> pinned = pins.pinned(peer);
    return pinned.isPresent()
        && pins.isVerified(peer)
        && server.onlineKey(peer).map(pinned.get()::equals).orElse(true);
  }

  /**
   * Marks the key pinned for {@code peer} as verified: the user compared the safety number of that
   * key ({@link #safetyNumber}) with the peer's, out of band, and they match.
   *
   * @return the key marked, or empty if no key is pinned for {@code peer} (we have never met them)
   * @throws KeyChangedException if the server presents another key for {@code peer} than the pinned
   *     one, or another key was accepted meanwhile: the number the user compared may not be the
   *     key's they talk to, so they check the new one and accept it first
   */
  public Optional<IdentityKey> markVerified(UserName peer) {
    Optional<IdentityKey> pinned = pins.pinned(peer);
    if (pinned.isEmpty()) {
      return Optional.empty();
    }
    IdentityKey key = pinned.get();
    Optional<IdentityKey> presented = server.onlineKey(peer);
    if (presented.isPresent() && !presented.get().equals(key)) {
      throw new KeyChangedException(peer, key, presented.get());
    }
    if (!pins.markVerified(peer, key)) {
      throw new KeyChangedException(peer, key, pins.pinned(peer).orElseThrow());
    }
    return pinned;
  }

  /**
   * Takes back the verified mark of {@code peer}'s key (the user marked it by mistake, or no longer
   * trusts the comparison); the key stays pinned and trusted as before.
   *
   * @return whether there was a mark to take back
   */
  public boolean unmarkVerified(UserName peer) {
    return pins.unmarkVerified(peer);
  }

  /**
   * Hangs up every link, and stops: nothing more is sent or reported. The loop, the server session
   * and the profile are the caller's to close.
   */
  @Override
  public void close() {
    conversations.close();
  }

  private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
    var unused =
        from.whenComplete(
            (value, error) -> {
              if (error != null) {
                to.completeExceptionally(error);
              } else {
                to.complete(value);
              }
            });
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
