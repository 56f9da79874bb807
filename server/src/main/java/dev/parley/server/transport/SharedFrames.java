package dev.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the connections of one server share so that a frame many of them carry at once costs one
 * copy, not one per connection: the list of everyone online in a burst of welcomes, and the frame
 * of a presence change sent to everyone online.
 *
 * <p>A frame for everyone is encoded once, WebSocket header and all, into native memory, and each
 * connection writes a view of it below its WebSocket encoder. Written from a thread that is not the
 * connection's event loop, the views wait in that loop's outbox, which the loop empties in one task
 * and one flush per connection: at 20,000 online a presence change was 20,000 tasks handed to the
 * loop, each copying the frame out of the Java heap again, which a profile of a login storm showed
 * as half of the server's time in Java code.
 */
final class SharedFrames implements AutoCloseable {
  private final SharedCopy online = new SharedCopy();
  private final SharedCopy everyone = new SharedCopy(SharedFrames::textFrame);
  private final ConcurrentHashMap<EventLoop, Outbox> outboxes = new ConcurrentHashMap<>();

  /** The welcome's list of everyone online, as {@link SharedCopy#of}. */
  ByteBuf online(byte[] list) {
    return online.of(list);
  }

  /**
   * The WebSocket text frame carrying {@code payload}, a view to be released by whoever writes it;
   * the same array gives views of the same copy.
   */
  ByteBuf everyone(byte[] payload) {
    return everyone.of(payload);
  }

  /** Writes {@code frame} to {@code connection} on {@code loop}, with others posted meanwhile. */
  void post(EventLoop loop, NettyConnection connection, ByteBuf frame) {
    outboxes.computeIfAbsent(loop, Outbox::new).post(connection, frame);
  }

  @Override
  public void close() {
    online.close();
    everyone.close();
  }

  /**
   * A server's unmasked, unfragmented WebSocket text frame (RFC 6455, section 5.2), as Netty's
   * encoder writes it.
   */
  static ByteBuf textFrame(byte[] payload) {
    int length = payload.length;
    ByteBuf frame = UnpooledByteBufAllocator.DEFAULT.directBuffer(length + 10);
    frame.writeByte(0x81); // FIN, text
    if (length <= 125) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame.writeBytes(payload);
  }

  /** The frames posted to one event loop from other threads, written by one task of the loop. */
  private static final class Outbox implements Runnable {
    private record Letter(NettyConnection to, ByteBuf frame) {}

    private final EventLoop loop;
    private final Queue<Letter> letters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Outbox(EventLoop loop) {
      this.loop = loop;
    }

    /**
     * Posts a letter; a task is handed to the loop only when none is waiting. A letter posted while
     * the task runs is taken by it or, if it came too late, by the next one: either way before any
     * task the same thread hands the loop afterwards, so one thread's frames keep their order.
     */
    void post(NettyConnection to, ByteBuf frame) {
      letters.add(new Letter(to, frame));
      if (scheduled.compareAndSet(false, true)) {
        try {
          loop.execute(this);
        } catch (RejectedExecutionException stopping) {
          // The server is stopping and its connections with it: nothing will write these.
          for (Letter letter = letters.poll(); letter != null; letter = letters.poll()) {
            letter.frame().release();
          }
        }
      }
    }

    @Override
    public void run() {
      scheduled.set(false);
      for (Letter letter = letters.poll(); letter != null; letter = letters.poll()) {
        letter.to().write(letter.frame());
      }
    }
  }
}
