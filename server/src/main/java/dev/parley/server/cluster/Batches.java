package dev.parley.server.cluster;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Frames for other nodes, gathered while an event loop serves its connections and published once
 * its turn is done: one message to each node per turn of a loop instead of one per frame. Each
 * message costs Redis a command to read and a message to write, and the addressee's node a reply to
 * decode, whatever its size: at saturation these were most of what a relay across nodes cost beyond
 * a relay on one node (docs/benchmarks.md, "Several nodes").
 *
 * <p>A frame sent outside the node's loops (a test, the thread {@code cluster}) is published at
 * once, on its own. The frames of one connection are read by one loop, so they stay in order: in
 * its batch, and batches are published in the order of the turns that made them, on one connection
 * to Redis.
 *
 * <p>A batch of one frame is published as the frame's own message ({@code TYPE \n to \n frame}) on
 * the node's channel; a batch of several as {@code B \n}, then for each frame its message's length
 * in 4 bytes (big endian) and the message, on the node's batch channel. {@link #split} reads it. A
 * node of an earlier version, which reads no batches, does not listen on that channel: during an
 * upgrade a batch for it finds no one, and its frames are answered as for someone offline instead
 * of being dropped unseen.
 */
final class Batches {
  /** Past this size, a batch is published and the turn's next frames start another. */
  static final int MOST_BYTES = 256 * 1024;

  /** The type of a message that holds several. */
  static final byte BATCH = 'B';

  /**
   * Publishes one message to a node's channel, or to its batch channel: whether a node subscribed
   * to it.
   */
  interface Publisher {
    CompletionStage<Boolean> publish(String node, byte[] message, boolean batch);
  }

  /** What {@link #split} finds: a message of the batch, at {@code offset} in {@code bytes}. */
  interface Entry {
    void accept(byte[] bytes, int offset, int length);
  }

  private final Publisher publisher;

  /** One outbox per loop, each used only on its loop; the map itself never changes. */
  private final IdentityHashMap<EventExecutor, Outbox> outboxes = new IdentityHashMap<>();

  Batches(EventLoopGroup loops, Publisher publisher) {
    this.publisher = publisher;
    for (EventExecutor loop : loops) {
      outboxes.put(loop, new Outbox(loop));
    }
  }

  /**
   * Sends {@code TYPE \n to \n frame} to {@code node}; completes with whether a node subscribed to
   * the channel it went to (the batch's answer, shared by its frames).
   */
  CompletionStage<Boolean> send(String node, char type, byte[] to, byte[] frame) {
    Outbox here = here();
    return here != null
        ? here.add(node, new Frame(type, to, frame))
        : publisher.publish(node, new Frame(type, to, frame).message(), false);
  }

  /**
   * Publishes what the current loop has gathered so far, at once: a command the loop sends Redis
   * after it (a leave, say) then comes after the frames relayed before it, as if they had gone on
   * their own. Outside the node's loops, nothing is gathered.
   */
  void flushHere() {
    Outbox here = here();
    if (here != null) {
      here.run();
    }
  }

  /**
   * Publishes what every loop has gathered, each on its own loop, waiting at most {@code bound} for
   * each: before a stopping node leaves the deployment.
   */
  void flushEverywhere(Duration bound) {
    for (Outbox outbox : outboxes.values()) {
      if (outbox.loop.inEventLoop()) {
        outbox.run();
        continue;
      }
      try {
        var unused = outbox.loop.submit(outbox).await(bound.toMillis());
      } catch (RejectedExecutionException stopped) {
        // its last turn ran its task already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The outbox of the loop this runs on, if it runs on one of the node's loops. */
  private @Nullable Outbox here() {
    for (Outbox outbox : outboxes.values()) {
      if (outbox.loop.inEventLoop()) {
        return outbox;
      }
    }
    return null;
  }

  /**
   * Calls {@code entry} for each message of {@code message}: the message itself, or each one a
   * batch holds.
   *
   * @throws IllegalArgumentException if a batch's lengths do not fit the message (what it held up
   *     to that point has been passed on)
   */
  static void split(byte[] message, Entry entry) {
    if (message.length == 0) {
      throw new IllegalArgumentException("the message is empty");
    }
    if (message[0] != BATCH) {
      entry.accept(message, 0, message.length);
      return;
    }
    if (message.length < 2 || message[1] != '\n') {
      throw new IllegalArgumentException("a batch does not start with B and a new line");
    }
    int at = 2;
    while (at < message.length) {
      if (message.length - at < 4) {
        throw new IllegalArgumentException("a batch ends inside the length of a message");
      }
      int length =
          (message[at] & 0xff) << 24
              | (message[at + 1] & 0xff) << 16
              | (message[at + 2] & 0xff) << 8
              | (message[at + 3] & 0xff);
      at += 4;
      if (length < 1 || length > message.length - at) {
        throw new IllegalArgumentException("a batch holds a message longer than itself");
      }
      entry.accept(message, at, length);
      at += length;
    }
  }

  /** One frame for another node, as {@code RedisCluster} addresses it. */
  private static final class Frame {
    private final char type;
    private final byte[] to;
    private final byte[] frame;

    Frame(char type, byte[] to, byte[] frame) {
      this.type = type;
      this.to = to;
      this.frame = frame;
    }

    int length() {
      return 3 + to.length + frame.length;
    }

    /** {@code TYPE \n to \n frame} into {@code into} at {@code at}; where it ends. */
    int write(byte[] into, int at) {
      into[at] = (byte) type;
      into[at + 1] = '\n';
      System.arraycopy(to, 0, into, at + 2, to.length);
      into[at + 2 + to.length] = '\n';
      System.arraycopy(frame, 0, into, at + 3 + to.length, frame.length);
      return at + length();
    }

    byte[] message() {
      byte[] message = new byte[length()];
      write(message, 0);
      return message;
    }
  }

  /** The frames of one node gathered in this turn, and the answer they share. */
  private static final class Batch {
    final List<Frame> frames = new ArrayList<>();
    final CompletableFuture<Boolean> published = new CompletableFuture<>();
    int bytes = 2;

    byte[] message() {
      if (frames.size() == 1) {
        return frames.get(0).message();
      }
      byte[] message = new byte[bytes];
      message[0] = BATCH;
      message[1] = '\n';
      int at = 2;
      for (Frame frame : frames) {
        int length = frame.length();
        message[at] = (byte) (length >>> 24);
        message[at + 1] = (byte) (length >>> 16);
        message[at + 2] = (byte) (length >>> 8);
        message[at + 3] = (byte) length;
        at = frame.write(message, at + 4);
      }
      return message;
    }
  }

  /** A loop's batches for this turn, by node; published by a task that runs when the turn ends. */
  private final class Outbox implements Runnable {
    private final EventExecutor loop;
    private Map<String, Batch> batches = new LinkedHashMap<>();
    private boolean scheduled;

    Outbox(EventExecutor loop) {
      this.loop = loop;
    }

    CompletionStage<Boolean> add(String node, Frame frame) {
      if (!scheduled) {
        try {
          loop.execute(this); // after the reads of this turn, before the loop waits again
          scheduled = true;
        } catch (RejectedExecutionException stopping) {
          return publisher.publish(node, frame.message(), false);
        }
      }
      Batch batch = batches.computeIfAbsent(node, n -> new Batch());
      batch.frames.add(frame);
      batch.bytes += 4 + frame.length();
      CompletionStage<Boolean> answer = batch.published;
      if (batch.bytes >= MOST_BYTES) {
        batches.remove(node);
        publish(node, batch);
      }
      return answer;
    }

    @Override
    public void run() {
      scheduled = false;
      Map<String, Batch> due = batches;
      batches = new LinkedHashMap<>();
      due.forEach(this::publish);
    }

    private void publish(String node, Batch batch) {
      try {
        publisher
            .publish(node, batch.message(), batch.frames.size() > 1)
            .whenComplete(
                (subscribed, failure) ->
                    batch.published.complete(failure == null && Boolean.TRUE.equals(subscribed)));
      } catch (RuntimeException e) {
        batch.published.complete(false); // as a publish that failed: the next batch goes on
      }
    }
  }
}
