package dev.parley.client;

import static org.assertj.core.api.Assertions.fail;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client listener that queues every event for a test to wait on. */
final class Recorder implements ParleyClient.Listener {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final BlockingQueue<OnlineUser> joined = new LinkedBlockingQueue<>();
  final BlockingQueue<UserName> left = new LinkedBlockingQueue<>();
  final BlockingQueue<PeerLink> opened = new LinkedBlockingQueue<>();
  final BlockingQueue<ChannelMessage.Chat> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<RuntimeException> refused = new LinkedBlockingQueue<>();

  @Override
  public void joined(OnlineUser user) {
    joined.add(user);
  }

  @Override
  public void left(UserName name) {
    left.add(name);
  }

  @Override
  public void opened(PeerLink link) {
    opened.add(link);
  }

  @Override
  public void message(PeerLink link, ChannelMessage.Chat message) {
    messages.add(message);
  }

  @Override
  public void refused(UserName peer, RuntimeException why) {
    refused.add(why);
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
