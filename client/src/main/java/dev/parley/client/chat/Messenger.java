package dev.parley.client.chat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.LinkException;
import dev.parley.client.link.LinkListener;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.NoPathException;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.Store;
import dev.parley.client.server.ServerListener;
import dev.parley.client.server.ServerState;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversations of one client (docs/p2p.md, "Delivery", "Typing", "Files"): our messages and
 * files go into the profile's outbox and out over a link as soon as one is open, are sent again
 * until acknowledged, and survive restarts; the peer's are stored, de-duplicated and acknowledged.
 * Links are opened when there is something to send and closed when idle.
 *
 * <p>Threads: all state lives on the one chat thread; link and server events are handed to it, and
 * the public methods hand their work to it too.
 */
public final class Messenger implements LinkListener, ServerListener {
  /** How long a sent message waits for its acknowledgement before it is sent again. */
  static final Duration RESEND_AFTER = Duration.ofSeconds(10);

  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration TYPING_EVERY = Duration.ofSeconds(3);
  private static final Duration TYPING_SHOWN = Duration.ofSeconds(6);
  private static final Duration FIRST_REOPEN_WAIT = Duration.ofSeconds(1);
  private static final Duration MAX_REOPEN_WAIT = Duration.ofSeconds(60);
  private static final Duration NO_PATH_REOPEN_WAIT = Duration.ofSeconds(15);
  private static final Duration MAX_NO_PATH_REOPEN_WAIT = Duration.ofMinutes(5);
  private static final int CHUNK = FileChunk.MAX_DATA;
  private static final int CHUNKS_PER_TURN = 16;
  private static final Logger log = LoggerFactory.getLogger(Messenger.class);

  /** Tunables; the defaults are what docs/p2p.md says. */
  public record Options(Duration idleClose, long maxFileBytes) {
    public static final Options DEFAULTS = new Options(Duration.ofMinutes(5), 1L << 30);
  }

  private final Signaling server;
  private final PeerLinks links;
  private final KeyPins pins;
  private final Store store;
  private final Path downloads;
  private final Options options;
  private final ChatListener listener;
  private final ScheduledExecutorService thread;

  // Chat thread only.
  private final Map<UserName, PeerLink> open = new HashMap<>();
  private final Map<String, Sent> sent = new HashMap<>();
  private final Map<UserName, FileSend> sending = new HashMap<>();
  private final Map<UserName, Map<UUID, FileReceive>> receiving = new HashMap<>();
  private final Map<UserName, Set<UUID>> ignoring = new HashMap<>();
  private final Map<UserName, Long> typingSent = new HashMap<>();
  private final Map<UserName, Long> typingSeen = new HashMap<>();
  private final Map<UserName, Integer> failures = new HashMap<>();
  private final Map<UserName, Long> reopenAt = new HashMap<>();
  private final Set<UserName> opening = new HashSet<>();
  private final Map<String, CompletableFuture<Entry>> watchers = new HashMap<>();

  /** An entry written to a link, and when. */
  private record Sent(PeerLink link, long at) {}

  /** Creates the client's links too; register it with the server before logging in. */
  public Messenger(
      Signaling server,
      PeerConnectionFactory factory,
      KeyPins pins,
      Store store,
      Path downloads,
      Options options,
      ChatListener listener,
      ScheduledExecutorService thread) {
    this.server = server;
    this.links = new PeerLinks(server, factory, pins, this);
    this.pins = pins;
    this.store = store;
    this.downloads = downloads;
    this.options = options;
    this.listener = listener;
    this.thread = thread;
    var unused =
        thread.scheduleWithFixedDelay(
            this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The client's links, for tools that want one directly. */
  public PeerLinks links() {
    return links;
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
   * @throws IllegalArgumentException if it is not a regular file or is too large
   */
  public Sending sendFile(UserName peer, Path file) throws IOException {
    Path path = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(file + " is not a file");
    }
    String name = path.getFileName().toString();
    if (name.length() > ChannelMessage.MAX_FILE_NAME) {
      throw new IllegalArgumentException("the file name is longer than 255 characters");
    }
    long size = Files.size(path);
    String sha256 = sha256(path);
    String mime = Optional.ofNullable(Files.probeContentType(path)).orElse("");
    var offer =
        new ChannelMessage.FileOffer(UUID.randomUUID().toString(), now(), name, size, sha256, mime);
    return enqueue(
        new Entry(
            0,
            peer,
            offer.id(),
            true,
            offer.ts(),
            name,
            new Entry.FileInfo(size, sha256, mime, path),
            Delivery.QUEUED,
            ""));
  }

  /** An entry just stored, and the future its acknowledgement completes (or a refusal fails). */
  public record Sending(Entry entry, CompletableFuture<Entry> delivered) {}

  private Sending enqueue(Entry draft) {
    CompletableFuture<Entry> delivered = new CompletableFuture<>();
    Entry stored =
        call(
            () -> {
              Entry entry = store.add(draft).orElseThrow();
              watchers.put(entry.id(), delivered);
              listener.updated(entry);
              flush(entry.peer());
              return entry;
            });
    return new Sending(stored, delivered);
  }

  /** The user is typing to {@code peer}: tells them, at most every 3 s, if a link is open. */
  public void typing(UserName peer, boolean active) {
    run(
        () -> {
          PeerLink link = open.get(peer);
          if (link == null) {
            return;
          }
          long now = System.nanoTime();
          Long last = typingSent.get(peer);
          if (active && last != null && now - last < TYPING_EVERY.toNanos()) {
            return;
          }
          if (!active && last == null) {
            return;
          }
          if (active) {
            typingSent.put(peer, now);
          } else {
            typingSent.remove(peer);
          }
          trySend(link, new ChannelMessage.Typing(active));
        });
  }

  /** The last {@code limit} entries with {@code peer}, oldest first. */
  public List<Entry> history(UserName peer, int limit) {
    return store.history(peer, limit);
  }

  /**
   * How the open link to {@code peer} goes now (direct, through NAT, relayed, and the candidate
   * pair); empty if no link is open. Never waits on the chat thread, so a listener may call it.
   */
  public CompletableFuture<Optional<LinkPath>> path(UserName peer) {
    CompletableFuture<Optional<LinkPath>> result = new CompletableFuture<>();
    run(
        () -> {
          PeerLink link = open.get(peer);
          if (link == null || !link.isOpen()) {
            result.complete(Optional.empty());
          } else {
            forward(link.currentPath(), result);
          }
        });
    return result;
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

  /** Opens a link to {@code peer} now, for a conversation the user has opened. */
  public void connect(UserName peer) {
    run(() -> openLink(peer));
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
   * user has checked it (for example by comparing the new safety number).
   *
   * @return the newly pinned key, or empty if {@code peer} is not online to present one
   */
  public Optional<IdentityKey> acceptKey(UserName peer) {
    Optional<IdentityKey> presented = server.onlineKey(peer);
    presented.ifPresent(
        key -> {
          pins.accept(peer, key);
          run(() -> flush(peer));
        });
    return presented;
  }

  // --- link events (link thread -> chat thread)

  @Override
  public void opened(PeerLink link) {
    run(
        () -> {
          open.put(link.peer(), link);
          failures.remove(link.peer());
          reopenAt.remove(link.peer());
          opening.remove(link.peer());
          listener.linkOpened(link.peer(), link.path());
          flush(link.peer());
        });
  }

  @Override
  public void closed(PeerLink link) {
    run(() -> linkGone(link.peer(), link, null));
  }

  @Override
  public void refused(UserName peer, RuntimeException why) {
    run(() -> linkGone(peer, null, why));
  }

  @Override
  public void received(PeerLink link, ChannelMessage message) {
    run(() -> onMessage(link, message));
  }

  @Override
  public void chunk(PeerLink link, FileChunk chunk) {
    run(() -> onChunk(link, chunk));
  }

  @Override
  public void drained(PeerLink link) {
    run(
        () -> {
          FileSend send = sending.get(link.peer());
          if (send != null && send.link == link) {
            pump(send);
          }
        });
  }

  // --- server events (server thread -> chat thread)

  @Override
  public void joined(OnlineUser user) {
    run(
        () -> {
          listener.joined(user.name());
          Optional<IdentityKey> pinned = pins.pinned(user.name());
          if (pinned.isPresent() && !pinned.get().equals(user.publicKey())) {
            listener.keyChanged(user.name(), pinned.get(), user.publicKey());
            return;
          }
          failures.remove(user.name());
          reopenAt.remove(user.name());
          flush(user.name());
        });
  }

  /**
   * A link to someone who left the server stays open while it works: the server may be what went
   * away (a stopping server announces everyone as gone). A peer that is really gone hangs up, or
   * stops answering and the link is given up (see {@link PeerLink}).
   */
  @Override
  public void left(UserName name) {
    run(() -> listener.left(name));
  }

  @Override
  public void stateChanged(ServerState state) {
    run(
        () -> {
          listener.stateChanged(state);
          if (state == ServerState.ONLINE) {
            for (UserName peer : server.online()) {
              Optional<IdentityKey> pinned = pins.pinned(peer);
              Optional<IdentityKey> presented = server.onlineKey(peer);
              if (pinned.isPresent()
                  && presented.isPresent()
                  && !pinned.get().equals(presented.get())) {
                listener.keyChanged(peer, pinned.get(), presented.get());
              }
            }
            store.outboxPeers().forEach(this::flush);
          }
        });
  }

  // --- the chat thread

  /** Sends what the outbox holds for {@code peer} if a link is open, or opens one. */
  private void flush(UserName peer) {
    PeerLink link = open.get(peer);
    List<Entry> outbox = store.outbox(peer);
    if (outbox.isEmpty()) {
      return;
    }
    if (link == null || !link.isOpen()) {
      if (link != null) {
        open.remove(peer); // closed, and its event not here yet: do not wait for it
      }
      openLink(peer);
      return;
    }
    long now = System.nanoTime();
    for (Entry entry : outbox) {
      Sent last = sent.get(entry.id());
      boolean due = last == null || last.link != link || now - last.at > RESEND_AFTER.toNanos();
      if (!due) {
        continue;
      }
      if (entry.file() == null) {
        if (trySend(link, new ChannelMessage.Chat(entry.id(), entry.ts(), entry.text()))) {
          sent.put(entry.id(), new Sent(link, now));
          markSent(entry);
        }
      } else if (!sending.containsKey(peer)) {
        startFile(link, entry);
      }
    }
  }

  private void openLink(UserName peer) {
    if (open.containsKey(peer)
        || opening.contains(peer)
        || !server.isOpen() // signals cannot travel while the server is away
        || !server.online().contains(peer)) {
      return;
    }
    Long notBefore = reopenAt.get(peer);
    if (notBefore != null && System.nanoTime() < notBefore) {
      return;
    }
    opening.add(peer);
    var unused =
        links
            .open(peer)
            .whenComplete(
                (link, error) -> {
                  if (error == null) {
                    return;
                  }
                  Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                  if (cause instanceof KeyChangedException changed) {
                    // Refused before any link existed, so no link event reports it.
                    run(() -> linkGone(peer, null, changed));
                  } else {
                    run(() -> opening.remove(peer));
                  }
                });
  }

  private void linkGone(UserName peer, @Nullable PeerLink link, @Nullable RuntimeException why) {
    if (link != null) {
      PeerLink current = open.get(peer);
      if (current != null && current != link) {
        return; // an older link; a newer one carries the conversation on
      }
      open.remove(peer);
      listener.linkClosed(peer);
    } else {
      opening.remove(peer);
    }
    if (why instanceof KeyChangedException changed) {
      listener.keyChanged(peer, changed.pinned(), changed.presented());
    } else if (why instanceof NoPathException noPath) {
      log.info("no path to {}: {}", peer, noPath.getMessage());
      listener.noPath(peer, noPath);
    } else if (why != null) {
      listener.problem(peer, why.getMessage() == null ? why.toString() : why.getMessage());
    }
    FileSend send = sending.get(peer);
    if (send != null && (link == null || send.link == link)) {
      sending.remove(peer).close();
    }
    Map<UUID, FileReceive> partial = receiving.remove(peer);
    if (partial != null) {
      partial.values().forEach(FileReceive::discard);
    }
    ignoring.remove(peer);
    typingSent.remove(peer);
    if (typingSeen.remove(peer) != null) {
      listener.typing(peer, false);
    }
    if (!store.outbox(peer).isEmpty() && !(why instanceof KeyChangedException)) {
      int n = failures.merge(peer, 1, Integer::sum);
      Duration wait = reopenWait(n, why instanceof NoPathException);
      reopenAt.put(peer, System.nanoTime() + wait.toNanos());
    }
  }

  /**
   * How long to wait before opening a link again after {@code failures} failures in a row: from 1
   * s, doubling, to a minute; after ICE found no path at all, which a retry seldom changes, from 15
   * s to 5 minutes. Both reset when the peer comes online again or a link opens.
   */
  static Duration reopenWait(int failures, boolean noPath) {
    int doublings = Math.min(Math.max(failures - 1, 0), 10);
    Duration first = noPath ? NO_PATH_REOPEN_WAIT : FIRST_REOPEN_WAIT;
    Duration most = noPath ? MAX_NO_PATH_REOPEN_WAIT : MAX_REOPEN_WAIT;
    Duration wait = first.multipliedBy(1L << doublings);
    return wait.compareTo(most) > 0 ? most : wait;
  }

  private void onMessage(PeerLink link, ChannelMessage message) {
    UserName peer = link.peer();
    switch (message) {
      case ChannelMessage.Chat chat -> {
        Entry incoming =
            new Entry(
                0, peer, chat.id(), false, chat.ts(), chat.text(), null, Delivery.RECEIVED, "");
        Optional<Entry> stored = store.add(incoming);
        trySend(link, new ChannelMessage.Ack(chat.id()));
        if (typingSeen.remove(peer) != null) {
          listener.typing(peer, false);
        }
        stored.ifPresent(listener::received);
      }
      case ChannelMessage.Ack ack -> {
        sent.remove(ack.id());
        FileSend send = sending.get(peer);
        if (send != null && send.entry.id().equals(ack.id())) {
          sending.remove(peer).close();
        }
        finish(peer, ack.id(), Delivery.DELIVERED, "");
        flush(peer);
      }
      case ChannelMessage.Nack nack -> {
        sent.remove(nack.id());
        FileSend send = sending.get(peer);
        if (send != null && send.entry.id().equals(nack.id())) {
          sending.remove(peer).close();
        }
        String why =
            nack.message().isEmpty() ? nack.reason() : nack.reason() + ": " + nack.message();
        finish(peer, nack.id(), Delivery.FAILED, why);
        flush(peer);
      }
      case ChannelMessage.Typing typing -> {
        if (typing.active()) {
          typingSeen.put(peer, System.nanoTime());
        } else {
          typingSeen.remove(peer);
        }
        listener.typing(peer, typing.active());
      }
      case ChannelMessage.FileOffer offer -> onOffer(link, offer);
    }
  }

  private void finish(UserName peer, String id, Delivery state, String why) {
    Optional<Entry> current = store.find(peer, id, true);
    if (current.isEmpty() || !current.get().state().pending()) {
      return;
    }
    Entry updated = store.setState(peer, id, state, why).orElseThrow();
    listener.updated(updated);
    CompletableFuture<Entry> watcher = watchers.remove(id);
    if (watcher != null) {
      if (state == Delivery.DELIVERED) {
        watcher.complete(updated);
      } else {
        watcher.completeExceptionally(new DeliveryFailedException(updated));
      }
    }
  }

  private void markSent(Entry entry) {
    if (entry.state() == Delivery.QUEUED) {
      store.setState(entry.peer(), entry.id(), Delivery.SENT, "").ifPresent(listener::updated);
    }
  }

  private boolean trySend(PeerLink link, ChannelMessage message) {
    try {
      link.send(message);
      return true;
    } catch (LinkException e) {
      log.debug("could not send to {}: {}", link.peer(), e.getMessage());
      return false;
    }
  }

  private void tick() {
    long now = System.nanoTime();
    typingSeen
        .entrySet()
        .removeIf(
            e -> {
              boolean expired = now - e.getValue() > TYPING_SHOWN.toNanos();
              if (expired) {
                listener.typing(e.getKey(), false);
              }
              return expired;
            });
    for (PeerLink link : List.copyOf(open.values())) {
      boolean busy = sending.containsKey(link.peer()) || receiving.containsKey(link.peer());
      if (!busy
          && store.outbox(link.peer()).isEmpty()
          && now - link.lastActivity() > options.idleClose().toNanos()) {
        log.debug("closing the idle link to {}", link.peer());
        link.closeIdle();
      }
    }
    for (UserName peer : store.outboxPeers()) {
      Long notBefore = reopenAt.get(peer);
      if (open.containsKey(peer) || notBefore == null || now >= notBefore) {
        flush(peer);
      }
    }
  }

  // --- files out

  private final class FileSend {
    final PeerLink link;
    final Entry entry;
    final UUID id;
    final byte[] buffer = new byte[CHUNK];
    @Nullable FileChannel channel;
    long done;
    long reported;

    FileSend(PeerLink link, Entry entry) {
      this.link = link;
      this.entry = entry;
      this.id = UUID.fromString(entry.id());
    }

    void close() {
      FileChannel ch = channel;
      channel = null;
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          log.debug("closing {}: {}", entry.text(), e.getMessage());
        }
      }
    }
  }

  private void startFile(PeerLink link, Entry entry) {
    Entry.FileInfo file = entry.file();
    if (file == null) {
      return;
    }
    FileSend send = new FileSend(link, entry);
    try {
      if (Files.size(file.path()) != file.size()) {
        throw new IOException("it changed since it was queued");
      }
      send.channel = FileChannel.open(file.path(), StandardOpenOption.READ);
    } catch (IOException e) {
      finish(
          entry.peer(),
          entry.id(),
          Delivery.FAILED,
          "cannot read " + file.path() + ": " + e.getMessage());
      return;
    }
    var offer =
        new ChannelMessage.FileOffer(
            entry.id(), entry.ts(), entry.text(), file.size(), file.sha256(), file.mime());
    if (!trySend(link, offer)) {
      send.close();
      return;
    }
    sending.put(entry.peer(), send);
    markSent(entry);
    pump(send);
  }

  /** Writes chunks until the link asks us to wait, a turn is used up, or the file is done. */
  private void pump(FileSend send) {
    if (sending.get(send.entry.peer()) != send || send.channel == null) {
      return;
    }
    long total = send.entry.file().size();
    try {
      for (int turn = 0; turn < CHUNKS_PER_TURN; turn++) {
        if (send.done >= total) {
          break;
        }
        int want = (int) Math.min(CHUNK, total - send.done);
        java.nio.ByteBuffer target = java.nio.ByteBuffer.wrap(send.buffer, 0, want);
        while (target.hasRemaining()) {
          if (send.channel.read(target, send.done + target.position()) < 0) {
            throw new IOException("it is shorter than when it was queued");
          }
        }
        boolean more = send.link.sendChunk(send.id, send.buffer, 0, want);
        send.done += want;
        report(send, total);
        if (!more) {
          return; // resumed by drained()
        }
      }
    } catch (IOException e) {
      sending.remove(send.entry.peer());
      send.close();
      finish(
          send.entry.peer(),
          send.entry.id(),
          Delivery.FAILED,
          "cannot read the file: " + e.getMessage());
      return;
    } catch (LinkException e) {
      return; // the link is going; linkGone() cleans up and the next link sends it again
    }
    if (send.done < total) {
      run(() -> pump(send));
      return;
    }
    // All written: wait for the ack, which the receiver sends once the hash checks out.
    send.close();
    sent.put(send.entry.id(), new Sent(send.link, System.nanoTime()));
    sending.remove(send.entry.peer());
    flush(send.entry.peer());
  }

  /** Progress is reported at the end and every 1% (at least every four chunks), not per chunk. */
  private static boolean worthReporting(long done, long reported, long total) {
    return done == total || done - reported >= Math.max(total / 100, CHUNK * 4L);
  }

  private void report(FileSend send, long total) {
    if (worthReporting(send.done, send.reported, total)) {
      send.reported = send.done;
      listener.progress(send.entry.peer(), send.entry.id(), true, send.done, total);
    }
  }

  // --- files in

  private final class FileReceive {
    final ChannelMessage.FileOffer offer;
    final Path partial;
    final FileChannel channel;
    final MessageDigest digest;
    long done;
    long reported;

    FileReceive(ChannelMessage.FileOffer offer, Path partial) throws IOException {
      this.offer = offer;
      this.partial = partial;
      this.channel =
          FileChannel.open(
              partial,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      this.digest = newSha256();
    }

    void discard() {
      try {
        channel.close();
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        log.debug("discarding {}: {}", partial, e.getMessage());
      }
    }
  }

  private void onOffer(PeerLink link, ChannelMessage.FileOffer offer) {
    UserName peer = link.peer();
    UUID id;
    try {
      id = UUID.fromString(offer.id());
    } catch (IllegalArgumentException e) {
      trySend(
          link,
          new ChannelMessage.Nack(offer.id(), ChannelMessage.Nack.REFUSED, "a file id is a UUID"));
      return;
    }
    Map<UUID, FileReceive> files = receiving.computeIfAbsent(peer, p -> new HashMap<>());
    FileReceive previous = files.remove(id);
    if (previous != null) {
      previous.discard(); // sent again from the start
    }
    Set<UUID> ignored = ignoring.computeIfAbsent(peer, p -> new HashSet<>());
    if (store.find(peer, offer.id(), false).isPresent()) {
      ignored.add(id);
      trySend(link, new ChannelMessage.Ack(offer.id()));
      return;
    }
    if (offer.size() > options.maxFileBytes()) {
      ignored.add(id);
      trySend(
          link,
          new ChannelMessage.Nack(
              offer.id(),
              ChannelMessage.Nack.TOO_LARGE,
              "files up to " + options.maxFileBytes() + " bytes"));
      listener.problem(peer, "refused " + offer.name() + " from " + peer + ": too large");
      return;
    }
    ignored.remove(id);
    try {
      Files.createDirectories(downloads);
      FileReceive receive = new FileReceive(offer, downloads.resolve(".partial-" + id));
      files.put(id, receive);
      if (offer.size() == 0) {
        complete(link, receive);
      }
    } catch (IOException e) {
      cannotStore(link, offer, e);
    }
  }

  /** Refuses a file we could not write, and tells the user why. */
  private void cannotStore(PeerLink link, ChannelMessage.FileOffer offer, IOException e) {
    trySend(
        link, new ChannelMessage.Nack(offer.id(), ChannelMessage.Nack.REFUSED, "cannot store it"));
    listener.problem(link.peer(), "cannot store " + offer.name() + ": " + e.getMessage());
  }

  private void onChunk(PeerLink link, FileChunk chunk) {
    UserName peer = link.peer();
    Map<UUID, FileReceive> files = receiving.get(peer);
    FileReceive receive = files == null ? null : files.get(chunk.file());
    if (receive == null) {
      if (!ignoring.getOrDefault(peer, Set.of()).contains(chunk.file())) {
        log.debug("ignoring a chunk of a file {} did not announce", peer);
      }
      return;
    }
    long total = receive.offer.size();
    int length = chunk.data().remaining();
    if (receive.done + length > total) {
      files.remove(chunk.file());
      receive.discard();
      trySend(
          link,
          new ChannelMessage.Nack(
              receive.offer.id(), ChannelMessage.Nack.HASH_MISMATCH, "more bytes than announced"));
      listener.problem(peer, receive.offer.name() + " from " + peer + " was longer than announced");
      return;
    }
    try {
      receive.digest.update(chunk.data().duplicate());
      java.nio.ByteBuffer data = chunk.data();
      while (data.hasRemaining()) {
        receive.channel.write(data);
      }
    } catch (IOException e) {
      files.remove(chunk.file());
      receive.discard();
      cannotStore(link, receive.offer, e);
      return;
    }
    receive.done += length;
    if (worthReporting(receive.done, receive.reported, total)) {
      receive.reported = receive.done;
      listener.progress(peer, receive.offer.id(), false, receive.done, total);
    }
    if (receive.done == total) {
      files.remove(chunk.file());
      complete(link, receive);
    }
  }

  private void complete(PeerLink link, FileReceive receive) {
    UserName peer = link.peer();
    ChannelMessage.FileOffer offer = receive.offer;
    String actual = HexFormat.of().formatHex(receive.digest.digest());
    try {
      receive.channel.force(true);
      receive.channel.close();
      if (!actual.equals(offer.sha256())) {
        Files.deleteIfExists(receive.partial);
        trySend(
            link,
            new ChannelMessage.Nack(
                offer.id(), ChannelMessage.Nack.HASH_MISMATCH, "the SHA-256 does not match"));
        listener.problem(
            peer, offer.name() + " from " + peer + " arrived damaged and was discarded");
        return;
      }
      Path saved = unusedName(downloads, offer.name());
      Files.move(receive.partial, saved);
      Entry entry =
          new Entry(
              0,
              peer,
              offer.id(),
              false,
              offer.ts(),
              offer.name(),
              new Entry.FileInfo(offer.size(), offer.sha256(), offer.mime(), saved),
              Delivery.RECEIVED,
              "");
      Optional<Entry> stored = store.add(entry);
      trySend(link, new ChannelMessage.Ack(offer.id()));
      stored.ifPresent(listener::received);
    } catch (IOException e) {
      receive.discard();
      cannotStore(link, offer, e);
    }
  }

  /** {@code name} in {@code dir}, or {@code name (2)}, {@code name (3)}... if it exists. */
  static Path unusedName(Path dir, String name) {
    Path candidate = dir.resolve(name);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int n = 2; Files.exists(candidate); n++) {
      candidate = dir.resolve(stem + " (" + n + ")" + ext);
    }
    return candidate;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  // --- threads

  private void run(Runnable task) {
    try {
      thread.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.error("chat task failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private <T> T call(java.util.concurrent.Callable<T> task) {
    var future = new CompletableFuture<T>();
    try {
      thread.execute(
          () -> {
            try {
              future.complete(task.call());
            } catch (Exception e) {
              future.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the client is closed");
    }
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }
}
