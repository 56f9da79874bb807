package dev.parley.client.link;

import static org.assertj.core.api.Assertions.fail;

import dev.parley.client.loop.EventLoop;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client's links reported, queued for a test to wait on, and whether each report came on
 * the client's loop, as the contract says.
 */
final class Events implements LinkListener {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A link was refused. */
  record Refusal(UserName peer, RuntimeException why) {}

  private final EventLoop loop;
  final BlockingQueue<PeerLink> opened = new LinkedBlockingQueue<>();
  final BlockingQueue<PeerLink> closed = new LinkedBlockingQueue<>();
  final BlockingQueue<Refusal> refused = new LinkedBlockingQueue<>();
  final BlockingQueue<PeerLink> drained = new LinkedBlockingQueue<>();

  /**
   * Messages and chunks as they came: a chat message by its text, a chunk as "chunk N" (N bytes).
   */
  final BlockingQueue<String> arrived = new LinkedBlockingQueue<>();

  final AtomicInteger offLoop = new AtomicInteger();

  Events(EventLoop loop) {
    this.loop = loop;
  }

  private void onLoop() {
    if (!loop.inLoop()) {
      offLoop.incrementAndGet();
    }
  }

  @Override
  public void opened(PeerLink link) {
    onLoop();
    opened.add(link);
  }

  @Override
  public void received(PeerLink link, ChannelMessage message) {
    onLoop();
    if (message instanceof ChannelMessage.Chat chat) {
      arrived.add(chat.text());
    }
  }

  @Override
  public void chunk(PeerLink link, FileChunk chunk) {
    onLoop();
    arrived.add("chunk " + chunk.data().remaining());
  }

  @Override
  public void drained(PeerLink link) {
    onLoop();
    drained.add(link);
  }

  @Override
  public void refused(UserName peer, RuntimeException why) {
    onLoop();
    refused.add(new Refusal(peer, why));
  }

  @Override
  public void closed(PeerLink link) {
    onLoop();
    closed.add(link);
  }

  /** The next event of {@code queue}, waiting up to {@link #TIMEOUT}. */
  static <T> T next(BlockingQueue<T> queue) {
    try {
      T event = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return event != null ? event : fail("no event within %s", TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
