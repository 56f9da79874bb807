package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.parley.client.loop.EventLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebRTC's callbacks for a link's data channel; like {@link Observer}, each hands the event to the
 * client's event loop. A message's buffer is only valid during the callback, so it is copied here,
 * and a control message is decoded here too, off the loop.
 *
 * <p>Messages and state changes wait in a queue of their own, which one task of the loop empties:
 * those that arrive while the loop is busy are taken in one turn (and stored in one transaction,
 * see {@code Conversations}), and the callback thread posts a task only when none is waiting
 * already.
 */
final class ChannelObserver implements RTCDataChannelObserver {
  /** Messages taken in one task of the loop, so that other work takes turns with a flood. */
  private static final int PER_TURN = 256;

  private static final Logger log = LoggerFactory.getLogger(ChannelObserver.class);

  private final WebRtcLink link;
  private final EventLoop loop;
  private final Queue<Runnable> arrived = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean posted = new AtomicBoolean();

  ChannelObserver(WebRtcLink link, EventLoop loop) {
    this.link = link;
    this.loop = loop;
  }

  @Override
  public void onBufferedAmountChange(long previousAmount) {
    // webrtc-java 0.14.0 never calls this (its native observer does not forward libwebrtc's
    // event); kept for a version that does.
    link.bufferedAmountChanged();
  }

  @Override
  public void onStateChange() {
    hand(link::channelStateChanged); // in order with the messages: none is overtaken by a close
  }

  @Override
  public void onMessage(RTCDataChannelBuffer buffer) {
    byte[] bytes = new byte[buffer.data.remaining()];
    buffer.data.get(bytes);
    if (buffer.binary) {
      hand(() -> link.receivedBinary(ByteBuffer.wrap(bytes)));
      return;
    }
    try {
      for (ChannelMessage message :
          ChannelMessage.decodeAll(new String(bytes, StandardCharsets.UTF_8), link::malformed)) {
        hand(() -> link.received(message));
      }
    } catch (IllegalArgumentException e) {
      link.malformed(e.getMessage());
    }
  }

  /** Queues what arrived, and posts the task that takes it unless one is waiting already. */
  private void hand(Runnable delivery) {
    arrived.add(delivery);
    if (posted.compareAndSet(false, true) && !loop.post(this::deliver)) {
      arrived.clear(); // the client is closed
    }
  }

  /** On the loop: delivers what arrived, in order, at most {@link #PER_TURN} per task. */
  private void deliver() {
    posted.set(false);
    for (int i = 0; i < PER_TURN; i++) {
      Runnable next = arrived.poll();
      if (next == null) {
        return;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("handling what arrived from {} failed", link.peer(), e);
      }
    }
    if (!arrived.isEmpty() && posted.compareAndSet(false, true)) {
      loop.post(this::deliver);
    }
  }
}
