package dev.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connections of one server share so that a frame many of them carry at once costs one
 * copy, not one per connection: the list of everyone online in a burst of welcomes, and the frame
 * of a presence change sent to everyone online.
 *
 * <p>A frame for everyone is encoded once, WebSocket header and all, into native memory, and each
 * connection writes a view of it below its WebSocket encoder. Written from a thread that is not the
 * connection's event loop, the views wait in that loop's outbox, with every other frame, task and
 * close asked of its connections from other threads, and the loop empties it in one task and one
 * flush per connection: at 20,000 online a presence change was 20,000 tasks handed to the loop,
 * each copying the frame out of the Java heap again, which a profile of a login storm showed as
 * half of the server's time in Java code.
 */
final class SharedFrames implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedFrames.class);

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

  /** Hands {@code letter} to {@code loop}, after those posted before it. */
  void post(EventLoop loop, Letter letter) {
    outboxes.computeIfAbsent(loop, Outbox::new).post(letter);
  }

  /** A task for a loop's outbox. */
  static Letter task(Runnable task) {
    return task::run;
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
    int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    // Of its exact size, and no larger: nothing can grow it, or write into it, under its readers.
    ByteBuf frame = UnpooledByteBufAllocator.DEFAULT.directBuffer(header + length, header + length);
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

  /** What an outbox carries: a frame for a connection, or a task. */
  interface Letter extends Runnable {
    /** Lets go of what the letter holds, when it will never be delivered. */
    default void drop() {}
  }

  /** A frame for {@link NettyConnection#write}, released if it never gets there. */
  record Write(NettyConnection to, ByteBuf frame, boolean forTheWire) implements Letter {
    @Override
    public void run() {
      to.write(frame, forTheWire);
    }

    @Override
    public void drop() {
      frame.release();
    }
  }

  /**
   * What other threads ask of the connections of one event loop -- frames to write, tasks, closes
   * -- in one queue, emptied by one task of the loop: the loop wakes once for a presence frame to
   * all of its connections, and one thread's requests happen in the order it made them.
   */
  private static final class Outbox implements Runnable {
    private final EventLoop loop;
    private final Queue<Letter> letters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Outbox(EventLoop loop) {
      this.loop = loop;
    }

    /**
     * Posts a letter; a task is handed to the loop only when none is waiting. A letter posted while
     * the task runs is taken by it or, if it came too late, by the next one.
     */
    void post(Letter letter) {
      letters.add(letter);
      if (scheduled.compareAndSet(false, true)) {
        try {
          loop.execute(this);
        } catch (RejectedExecutionException stopping) {
          // The server is stopping and its connections with it: nothing will deliver these.
          scheduled.set(false);
          for (Letter dropped = letters.poll(); dropped != null; dropped = letters.poll()) {
            dropped.drop();
          }
        }
      }
    }

    @Override
    public void run() {
      scheduled.set(false);
      for (Letter letter = letters.poll(); letter != null; letter = letters.poll()) {
        try {
          letter.run();
        } catch (RuntimeException e) {
          log.warn("A write or task for a connection failed", e);
        }
      }
    }
  }
}
