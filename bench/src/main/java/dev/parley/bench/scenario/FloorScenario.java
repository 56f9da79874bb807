package dev.parley.bench.scenario;

import dev.parley.bench.load.Latencies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this machine does with no server at all: the floor under two of the targets, measured with
 * plain loopback sockets and nothing else in the way (no WebSocket, no JSON, no event-loop
 * library).
 *
 * <ul>
 *   <li><b>Fan-out</b>: one write of a presence-sized frame (120 bytes) to each of N sockets, by
 *       one thread and by two, while two threads read the other ends, as the load generator's two
 *       event loops do: the time from the first write to the last arrival, what a server that makes
 *       one system call per socket can hope for in "a join reaches all N" on this machine (median
 *       of the rounds, with the fastest and slowest beside it).
 *   <li><b>Relay</b>: a thread that reads 1 KB messages from one socket and writes each to another,
 *       fed at a fixed rate by a sender that sleeps between messages, as the relay scenario's
 *       server is: the latency's median and p99 when every hop wakes a sleeping thread.
 * </ul>
 */
public final class FloorScenario {
  private static final Logger log = LoggerFactory.getLogger(FloorScenario.class);
  private static final int FRAME = 120;
  private static final int MESSAGE = 1024;
  private static final int READERS = 2;

  private FloorScenario() {}

  /** The report's section: a table of the floors measured, with what each is the floor of. */
  public static String run(List<Integer> sizes, int rounds, int rate, int messages, long deadline) {
    StringBuilder table =
        new StringBuilder(
            """
            ### The machine's floor (plain loopback sockets, no server)

            | figure | floor | min to max |
            |---|---:|---:|
            """);
    for (int size : sizes) {
      for (int writers = 1; writers <= 2; writers++) {
        double[] millis = fanOut(size, writers, rounds, deadline);
        log.info(
            "floor: one write to each of {} sockets by {} thread(s): last arrival median {} ms",
            size,
            writers,
            millis[0]);
        table.append(
            String.format(
                Locale.ROOT,
                "| one %d-byte write to each of %,d sockets by %d thread%s, read by %d: last arrival,"
                    + " median of %d (ms) | %.1f | %.1f to %.1f |\n",
                FRAME,
                size,
                writers,
                writers == 1 ? "" : "s",
                READERS,
                rounds,
                millis[0],
                millis[1],
                millis[2]));
      }
    }
    double[] relay = relay(rate, messages, deadline);
    log.info("floor: relay at {} msg/s: p50 {} ms, p99 {} ms", rate, relay[0], relay[1]);
    String relaying =
        String.format(
            Locale.ROOT, "a thread relaying %,d-byte messages at %,d msg/s", MESSAGE, rate);
    table.append(
        String.format(
            Locale.ROOT,
            "| %s: p50 latency (ms) | %.3f | |\n| %s: p99 latency (ms) | %.3f | max %.3f |\n",
            relaying,
            relay[0],
            relaying,
            relay[1],
            relay[2]));
    return table.toString();
  }

  /** Median, min and max milliseconds from the first write to the last arrival, over rounds. */
  static double[] fanOut(int size, int writers, int rounds, long deadline) {
    List<SocketChannel> open = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), size);
      SocketChannel[] writing = new SocketChannel[size];
      SocketChannel[] reading = new SocketChannel[size];
      for (int i = 0; i < size; i++) {
        reading[i] = SocketChannel.open(listener.getLocalAddress());
        open.add(reading[i]);
        writing[i] = listener.accept();
        open.add(writing[i]);
        for (SocketChannel channel : List.of(reading[i], writing[i])) {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.configureBlocking(false);
        }
      }
      AtomicLong received = new AtomicLong();
      AtomicLong goal = new AtomicLong(Long.MAX_VALUE);
      long[] lastArrival = new long[READERS];
      Semaphore arrived = new Semaphore(0);
      // A reader or writer that fails says so at once, rather than leaving the round to time out.
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread.UncaughtExceptionHandler failed =
          (thread, e) -> {
            failure.compareAndSet(null, e);
            arrived.release();
          };
      for (int r = 0; r < READERS; r++) {
        Selector selector = Selector.open();
        int reader = r;
        Thread thread =
            Thread.ofPlatform()
                .daemon()
                .name("floor-reader-" + r)
                .uncaughtExceptionHandler(failed)
                .unstarted(() -> read(selector, reader, lastArrival, received, goal, arrived));
        threads.add(thread);
        try {
          for (int i = r; i < size; i += READERS) {
            reading[i].register(selector, SelectionKey.OP_READ);
          }
        } catch (IOException | RuntimeException e) {
          selector.close();
          throw e;
        }
        thread.start();
      }
      ByteBuffer frame = ByteBuffer.allocateDirect(FRAME);
      frame.put(new byte[FRAME]).flip();
      Latencies lastArrivals = new Latencies(rounds);
      for (int round = -rounds / 5; round < rounds; round++) { // the first fifth warms up
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the fan-out floor ran past its watchdog");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // at rest, as a measured join
        goal.set(received.get() + (long) size * FRAME);
        long[] firstWrite = new long[writers];
        Thread[] senders = new Thread[writers];
        for (int w = 0; w < writers; w++) {
          int first = w;
          senders[w] =
              Thread.ofPlatform()
                  .uncaughtExceptionHandler(failed)
                  .start(
                      () -> {
                        ByteBuffer mine = frame.duplicate();
                        firstWrite[first] = System.nanoTime();
                        for (int i = first; i < size; i += writers) {
                          mine.rewind();
                          write(writing[i], mine);
                        }
                      });
        }
        for (Thread thread : senders) {
          thread.join();
        }
        long start = Arrays.stream(firstWrite).min().orElseThrow();
        boolean all =
            arrived.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (failure.get() != null) {
          throw new IllegalStateException("the fan-out floor failed", failure.get());
        }
        if (!all) {
          throw new IllegalStateException("the fan-out floor's frames did not all arrive");
        }
        long last = Arrays.stream(lastArrival).max().orElseThrow();
        if (round >= 0) {
          lastArrivals.record(last - start);
        }
      }
      return new double[] {
        lastArrivals.quantileMillis(0.5),
        lastArrivals.quantileMillis(0.0),
        lastArrivals.quantileMillis(1.0)
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      threads.forEach(Thread::interrupt);
      for (Thread thread : threads) {
        try {
          thread.join(1000); // its selector closed before the next size's sockets open
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (SocketChannel channel : open) {
        try {
          channel.close();
        } catch (IOException e) {
          log.debug("closing a floor socket", e);
        }
      }
    }
  }

  private static void write(SocketChannel channel, ByteBuffer frame) {
    try {
      if (channel.write(frame) != FRAME) {
        throw new IllegalStateException("a 120-byte write to an empty socket was cut short");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void read(
      Selector selector,
      int reader,
      long[] lastArrival,
      AtomicLong received,
      AtomicLong goal,
      Semaphore arrived) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    try (selector) {
      while (!Thread.currentThread().isInterrupted()) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          buffer.clear();
          int read = ((SocketChannel) key.channel()).read(buffer);
          if (read > 0) {
            lastArrival[reader] = System.nanoTime();
            if (received.addAndGet(read) == goal.get()) {
              arrived.release();
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      if (!Thread.currentThread().isInterrupted()) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Median, p99 and max milliseconds of {@code count} messages relayed at {@code rate}. */
  static double[] relay(int rate, int count, long deadline) {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel sender = SocketChannel.open(listener.getLocalAddress());
          SocketChannel relayIn = listener.accept();
          SocketChannel relayOut = SocketChannel.open(listener.getLocalAddress());
          SocketChannel receiver = listener.accept()) {
        for (SocketChannel channel : List.of(sender, relayIn, relayOut, receiver)) {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        Thread relaying =
            Thread.ofPlatform()
                .daemon()
                .name("floor-relay")
                .start(
                    () -> {
                      ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);
                      try {
                        for (int i = 0; i < count * 2; i++) {
                          message.clear();
                          fill(relayIn, message);
                          message.flip();
                          while (message.hasRemaining()) {
                            relayOut.write(message);
                          }
                        }
                      } catch (IOException e) {
                        log.warn("the relay floor's relay failed", e);
                      }
                    });
        Latencies latencies = new Latencies(count);
        AtomicLong arrived = new AtomicLong();
        Thread receiving =
            Thread.ofPlatform()
                .daemon()
                .name("floor-receiver")
                .start(
                    () -> {
                      ByteBuffer message = ByteBuffer.allocate(MESSAGE);
                      try {
                        for (int i = 0; i < count * 2; i++) { // the first half warms up
                          message.clear();
                          fill(receiver, message);
                          long latency = System.nanoTime() - message.getLong(0);
                          if (i >= count) {
                            latencies.record(latency);
                          }
                          arrived.incrementAndGet();
                        }
                      } catch (IOException e) {
                        log.warn("the relay floor's receiver failed", e);
                      }
                    });
        ByteBuffer message = ByteBuffer.allocate(MESSAGE);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < count * 2; i++) {
          next += interval;
          for (long wait; (wait = next - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the relay floor ran past its watchdog");
          }
          message.clear();
          message.putLong(0, System.nanoTime());
          while (message.hasRemaining()) {
            sender.write(message);
          }
        }
        receiving.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        relaying.join(1000);
        if (arrived.get() != count * 2L) {
          throw new IllegalStateException(
              "the relay floor's receiver got " + arrived.get() + " of " + count * 2 + " messages");
        }
        return new double[] {
          latencies.quantileMillis(0.5),
          latencies.quantileMillis(0.99),
          latencies.quantileMillis(1.0)
        };
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("closed");
      }
    }
  }
}
