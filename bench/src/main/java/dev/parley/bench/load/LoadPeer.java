package dev.parley.bench.load;

import dev.parley.bench.servers.Target;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One simulated user of a target: connects, becomes ready the way its dialect requires (logged in,
 * OPEN, connected), relays messages and reports what it receives.
 */
public abstract class LoadPeer implements WsListener {
  protected final String name;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile @Nullable WsConnection connection;
  private volatile Consumer<String> onRelay = text -> {};
  private volatile Consumer<String> onPresence = text -> {};
  private volatile long joinSent;

  protected LoadPeer(String name) {
    this.name = name;
  }

  /** A peer named {@code name} for {@code target}. */
  public static LoadPeer of(Target target, String name) {
    return switch (target.dialect()) {
      case PARLEY ->
          target.logsInAtOnce() ? ParleyPeer.loggingInAtOnce(name) : new ParleyPeer(name);
      case PEERJS -> new PeerJsPeer(name, target.peerJsPath());
      case SOCKETIO -> new SocketIoPeer(name);
    };
  }

  public String name() {
    return name;
  }

  /** Connects to the target on {@code port}; completes when the peer is ready. */
  public CompletableFuture<Void> open(WsClient client, int port) {
    var unused =
        client
            .connect(uri(port), this)
            .whenComplete(
                (opened, error) -> {
                  if (error != null) {
                    ready.completeExceptionally(error);
                  } else {
                    connection = opened;
                    opened(opened);
                  }
                });
    return ready;
  }

  /**
   * The same user as a new, unconnected peer, for a reconnect: the same name and, where the dialect
   * has one (Parley), the same identity key, since the server binds a name to its key. A peer is
   * opened once; each reconnect attempt is a peer of its own, so a late close of an earlier
   * connection cannot fail a later one.
   */
  public abstract LoadPeer again();

  /** Sends a signaling message with JSON {@code payload} to {@code to}. */
  public abstract void relay(String to, String payload);

  /**
   * Sends a signaling message to {@code to} whose JSON payload is made on the connection's event
   * loop, which then writes it: a payload that carries the moment it is sent (a latency's start) is
   * then stamped by the thread the frame leaves from, not by the thread that asked for it. From
   * another thread, a frame waits in the loop's queue until that thread has woken the loop, and a
   * thread taken off its core between the two (on 2 shared cores, for 1 to 5 ms about once in 150
   * ms) would add that wait to the server's latency.
   */
  public void relay(String to, java.util.function.Supplier<String> payload) {
    onLoop(() -> relay(to, payload.get()));
  }

  /** Runs {@code task} on the connection's event loop, once connected. */
  protected void onLoop(Runnable task) {
    WsConnection open = connection;
    if (open != null) {
      open.onLoop(task);
    }
  }

  /** Tells everyone this peer is here, where the dialect needs a message for it (Socket.IO). */
  public void announce() {}

  /**
   * The same user as a new, unconnected peer (as {@link #again()}) that, after each login, watches
   * {@code names} (Parley's contacts presence) and is ready once the watch is answered.
   */
  public LoadPeer watching(List<String> names) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot watch");
  }

  /** When this peer's join was sent: its login, or its announcement. */
  public long joinSentNanos() {
    return joinSent;
  }

  /** Marks now as the moment this peer's join was sent. */
  protected void joinSentNow() {
    joinSent = System.nanoTime();
  }

  public void onRelay(Consumer<String> consumer) {
    this.onRelay = consumer;
  }

  public void onPresence(Consumer<String> consumer) {
    this.onPresence = consumer;
  }

  public void close() {
    WsConnection open = connection;
    if (open != null) {
      open.close();
    }
  }

  protected abstract URI uri(int port);

  protected void opened(WsConnection opened) {}

  protected void ready() {
    ready.complete(null);
  }

  protected void failed(String why) {
    ready.completeExceptionally(new IllegalStateException(name + ": " + why));
  }

  protected void relayed(String text) {
    onRelay.accept(text);
  }

  protected void presence(String text) {
    onPresence.accept(text);
  }

  protected void send(String text) {
    WsConnection open = connection;
    if (open != null) {
      open.send(text);
    }
  }

  @Override
  public void onClose(WsConnection closed) {
    failed("closed");
  }

  /** The value of the {@code "t"} field in a relayed payload: the sender's nanoTime. */
  public static long sentNanos(String text) {
    int at = text.indexOf("\"t\":");
    if (at < 0) {
      return -1;
    }
    int start = at + 4;
    int end = start;
    while (end < text.length() && Character.isDigit(text.charAt(end))) {
      end++;
    }
    return Long.parseLong(text, start, end, 10);
  }
}
