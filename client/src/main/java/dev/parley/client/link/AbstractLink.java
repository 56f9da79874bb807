package dev.parley.client.link;

import dev.parley.client.loop.EventLoop;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every link does the same way, whatever carries it: whom it reaches, its life (being opened,
 * open, over) and the events that go with it, reported through its client's {@link LinkTable}.
 * State changes on the client's event loop; the accessors are safe from any thread.
 */
abstract class AbstractLink implements PeerLink {
  private static final Logger log = LoggerFactory.getLogger(AbstractLink.class);

  private final UserName peer;
  private final IdentityKey peerKey;
  private final String id;
  private final boolean offered;
  private final EventLoop loop;
  private final LinkTable table;
  private final CompletableFuture<PeerLink> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final List<Runnable> early = new ArrayList<>();
  private volatile long lastActivity;
  private volatile Optional<LinkPath> path = Optional.empty();
  private boolean ended;

  /** {@code peerKey} is the key we trust for {@code peer}; {@code offered}: we offered the link. */
  AbstractLink(
      UserName peer,
      IdentityKey peerKey,
      String id,
      boolean offered,
      EventLoop loop,
      LinkTable table) {
    this.peer = peer;
    this.peerKey = peerKey;
    this.id = id;
    this.offered = offered;
    this.loop = loop;
    this.table = table;
    this.lastActivity = loop.nanoTime();
  }

  /**
   * Tells the peer {@code hangup} if it is not null, and lets go of what carries the link. Called
   * once, on the loop, when the link ends.
   */
  abstract void release(@Nullable LinkException cause, @Nullable String hangup);

  @Override
  public final UserName peer() {
    return peer;
  }

  @Override
  public final IdentityKey peerKey() {
    return peerKey;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final CompletableFuture<PeerLink> opened() {
    return opened;
  }

  @Override
  public final CompletableFuture<Void> closed() {
    return closed;
  }

  @Override
  public final Optional<LinkPath> path() {
    return path;
  }

  @Override
  public final boolean isOpen() {
    return opened.isDone() && !opened.isCompletedExceptionally() && !closed.isDone();
  }

  @Override
  public final long lastActivity() {
    return lastActivity;
  }

  @Override
  public final void closeIdle() {
    loop.post(() -> end(null, "idle"));
  }

  @Override
  public final void close() {
    loop.post(() -> end(null, "closed"));
  }

  /** Whether we offered the link (rather than answered the peer's offer). */
  final boolean offered() {
    return offered;
  }

  final boolean ended() {
    return ended;
  }

  final EventLoop loop() {
    return loop;
  }

  final LinkListener listener() {
    return table.listener();
  }

  /** Something was sent or received: the link is not idle. Any thread. */
  final void touch() {
    lastActivity = loop.nanoTime();
  }

  /**
   * A newer reading of the path (ICE moved, or named a peer-reflexive end), on the loop. A new kind
   * of path on an open link is reported.
   */
  final void setPath(Optional<LinkPath> now) {
    Optional<LinkPath.Kind> was = path.map(LinkPath::kind);
    path = now;
    if (isOpen() && now.isPresent() && !now.map(LinkPath::kind).equals(was)) {
      log.info("link to {} is now {}", peer, now.get().describe());
      table.pathChanged(this);
    }
  }

  /** The link is open and goes by {@code found}: reports it, then what arrived meanwhile. */
  final void markOpen(Optional<LinkPath> found) {
    if (ended || opened.isDone()) {
      return;
    }
    path = found;
    opened.complete(this);
    table.opened(this);
    List<Runnable> arrived = List.copyOf(early);
    early.clear();
    arrived.forEach(Runnable::run);
  }

  /** A text message from the peer (one control message or a batch), on the loop. */
  final void receivedText(String text) {
    try {
      ChannelMessage.decodeAll(text, this::malformed).forEach(this::received);
    } catch (IllegalArgumentException e) {
      malformed(e.getMessage());
    }
  }

  /** Logs a malformed message from the peer, which is ignored. Any thread. */
  final void malformed(String why) {
    log.warn("ignoring a malformed message from {}: {}", peer, why);
  }

  /** What the peer said it can read; a link that does not batch ignores it. On the loop. */
  void hello(ChannelMessage.Hello hello) {}

  /** A control message from the peer, already decoded (off the loop), on the loop. */
  final void received(ChannelMessage message) {
    if (ended) {
      return;
    }
    touch();
    if (message instanceof ChannelMessage.Hello said) {
      hello(said); // the link's business, not its listener's
      return;
    }
    if (!opened.isDone()) {
      early.add(() -> received(message)); // the peer's end opened a moment before ours
      return;
    }
    listener().received(this, message);
  }

  /** A binary message (a file chunk) from the peer, on the loop. */
  final void receivedBinary(ByteBuffer message) {
    if (ended) {
      return;
    }
    touch();
    if (!opened.isDone()) {
      early.add(() -> receivedBinary(message));
      return;
    }
    try {
      listener().chunk(this, FileChunk.decode(message));
    } catch (IllegalArgumentException e) {
      log.warn("ignoring a malformed binary message from {}: {}", peer, e.getMessage());
    }
  }

  /** The send buffer is low again after a sender was told to wait; on the loop. */
  final void drained() {
    if (!ended) {
      listener().drained(this);
    }
  }

  /**
   * Ends the link for {@code cause} (null: an ordinary close), telling the peer {@code hangup} if
   * it is not null. On the loop; once.
   */
  final void end(@Nullable LinkException cause, @Nullable String hangup) {
    if (ended) {
      return;
    }
    ended = true;
    boolean wasOpen = isOpen();
    early.clear();
    release(cause, hangup);
    LinkException over =
        cause != null ? cause : new LinkException("the link to " + peer + " is closed");
    opened.completeExceptionally(over);
    closed.complete(null);
    table.ended(this, wasOpen, cause);
  }
}
