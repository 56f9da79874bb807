package dev.parley.bench.scenario;

import dev.parley.bench.load.Latencies;
import dev.parley.bench.load.LoadPeer;
import dev.parley.bench.servers.ServerProcess;
import dev.parley.bench.servers.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart storm: N users are logged in when the server is stopped with SIGTERM and started again on
 * the same port and data directory (a name stays bound to its key). Once the old process has
 * exited, each client waits a jitter drawn uniformly from [0, J] with a fixed seed, then reconnects
 * and logs in with the key it had, retrying with backoff while the server is not yet accepting. In
 * contacts presence each client, once logged in, watches the 20 users after it, as a client does
 * after every login, and is back when that watch is answered.
 *
 * <p>Measured: the downtime (SIGTERM to accepting again) and its stopping part (SIGTERM to exit);
 * the recovery, from accepting again (probed every 50 ms) until the last client is back; each
 * client's reconnect-to-ready time, from the start of the connect that succeeded to its welcome
 * (and watch answer); the server's CPU over the recovery; the connect attempts that failed.
 */
public final class StormScenario {
  private static final Logger log = LoggerFactory.getLogger(StormScenario.class);

  /** The same jitter for every target and every run, so that their storms are alike. */
  static final long SEED = 16;

  public static final int WATCHED = 20;
  private static final int MAX_ATTEMPTS = 20;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private StormScenario() {}

  public static List<Row> run(Bench bench, List<Target> targets, int users, Duration jitter) {
    List<Row> rows =
        new ArrayList<>(
            List.of(
                Row.lower("downtime: SIGTERM to accepting again (s)"),
                Row.lower("of which stopping: SIGTERM to exit (s)"),
                Row.lower("recovery: accepting again to the last of " + users + " back (s)"),
                Row.lower("reconnect to ready per client, median (ms)"),
                Row.lower("reconnect to ready per client, p99 (ms)"),
                Row.lower("server CPU during recovery (s)"),
                Row.lower("failed connect attempts")));
    for (Target target : targets) {
      double[] figures;
      try (ServerProcess server = bench.startProcess(target)) {
        figures = storm(bench, target, server, users, jitter);
      } catch (IllegalStateException e) {
        // Recorded as not reached (n/a); the other target is still measured.
        log.warn("{}: the storm of {} did not recover: {}", target.label(), users, e.getMessage());
        figures = new double[rows.size()];
        Arrays.fill(figures, Double.NaN);
      }
      for (int i = 0; i < rows.size(); i++) {
        rows.set(i, rows.get(i).with(target, figures[i]));
      }
    }
    return rows;
  }

  /** One storm on a started server; returns the figures in the order of the rows. */
  private static double[] storm(
      Bench bench, Target target, ServerProcess server, int users, Duration jitter) {
    List<LoadPeer> peers = bench.crowd(target, server, "s", users);
    long signalled = System.nanoTime();
    server.terminate(STOP_TIMEOUT);
    long exited = System.nanoTime();
    Bench.closeAll(peers); // already closed by the server; this only tidies the generator's side

    SplittableRandom seeded = new SplittableRandom(SEED);
    Storm storm = new Storm(bench, server.port(), bench.deadline());
    List<CompletableFuture<Back>> back = new ArrayList<>(users);
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < users; i++) {
        LoadPeer peer = peers.get(i);
        SplittableRandom random = seeded.split(); // drawn in index order: the same every run
        long startAt = exited + (long) (random.nextDouble() * jitter.toNanos());
        List<String> watch = target.isContacts() ? watched(peers, i) : List.of();
        back.add(
            CompletableFuture.supplyAsync(
                () -> storm.reconnect(peer, startAt, random, watch), threads));
      }
      server.startAgain();
      long accepting = System.nanoTime();
      double cpuBefore = server.cpuSeconds();
      bench.await(CompletableFuture.allOf(back.toArray(CompletableFuture[]::new)), storm.deadline);
      double cpu = server.cpuSeconds() - cpuBefore;

      Latencies took = new Latencies(users);
      long last = accepting;
      for (CompletableFuture<Back> each : back) {
        Back b = each.join();
        took.record(b.tookNanos());
        last = Math.max(last, b.readyAt());
        b.peer().close();
      }
      double[] figures = {
        (accepting - signalled) / 1e9,
        (exited - signalled) / 1e9,
        (last - accepting) / 1e9,
        took.quantileMillis(0.5),
        took.quantileMillis(0.99),
        cpu,
        storm.failures.get()
      };
      log.info(
          "{}: {} back {} s after the restart (downtime {} s), reconnect to ready median {} ms,"
              + " p99 {} ms, server CPU {} s, {} failed attempts{}",
          target.label(),
          users,
          figures[2],
          figures[0],
          figures[3],
          figures[4],
          figures[5],
          storm.failures.get(),
          storm.firstFailure.get() == null ? "" : " (the first: " + storm.firstFailure.get() + ")");
      return figures;
    } finally {
      threads.shutdownNow(); // after a failure, stops the reconnects still waiting
    }
  }

  /** The names peer {@code i} watches: the {@value #WATCHED} after it, wrapping around. */
  private static List<String> watched(List<LoadPeer> peers, int i) {
    List<String> names = new ArrayList<>(WATCHED);
    for (int k = 1; k <= Math.min(WATCHED, peers.size() - 1); k++) {
      names.add(peers.get((i + k) % peers.size()).name());
    }
    return names;
  }

  /** A client back on the restarted server, when, and how long its last connect took. */
  private record Back(LoadPeer peer, long readyAt, long tookNanos) {}

  /** What the reconnecting clients share: the connects under way, the failures, the deadline. */
  private static final class Storm {
    final Bench bench;
    final int port;
    final long deadline;
    final Semaphore inFlight = new Semaphore(Bench.IN_FLIGHT);
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<String> firstFailure = new AtomicReference<>();

    Storm(Bench bench, int port, long deadline) {
      this.bench = bench;
      this.port = port;
      this.deadline = deadline;
    }

    /**
     * One client: waits until {@code startAt}, then connects as {@code old}'s user again, backing
     * off (doubling, with jitter) after each failed attempt, at most {@value #MAX_ATTEMPTS} times.
     */
    Back reconnect(LoadPeer old, long startAt, SplittableRandom random, List<String> watch) {
      sleepUntil(startAt);
      Duration backoff = FIRST_BACKOFF;
      for (int attempt = 1; ; attempt++) {
        LoadPeer peer = watch.isEmpty() ? old.again() : old.watching(watch);
        acquire();
        long started = System.nanoTime();
        try {
          await(peer.open(bench.client(), port)); // logged in, and its watch answered
          long ready = System.nanoTime();
          return new Back(peer, ready, ready - started);
        } catch (ExecutionException e) {
          failures.incrementAndGet();
          firstFailure.compareAndSet(null, String.valueOf(e.getCause()));
          peer.close();
          if (attempt == MAX_ATTEMPTS) {
            throw new IllegalStateException(
                old.name() + " gave up after " + attempt + " attempts: " + e.getCause(), e);
          }
        } finally {
          inFlight.release();
        }
        long half = backoff.toNanos() / 2;
        sleepUntil(System.nanoTime() + half + (long) (random.nextDouble() * half));
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) < 0
                ? backoff.multipliedBy(2)
                : MAX_BACKOFF;
      }
    }

    private void await(CompletableFuture<Void> future) throws ExecutionException {
      try {
        future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException("the watchdog stopped the storm", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private void acquire() {
      try {
        if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException("the watchdog stopped the storm's connects");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /** A client's own delay (its jitter, its backoff): not a wait for a condition. */
    private void sleepUntil(long nanoTime) {
      if (nanoTime > deadline) {
        throw new IllegalStateException("the watchdog stopped the storm");
      }
      Bench.pause(Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime())));
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted");
      }
    }
  }
}
