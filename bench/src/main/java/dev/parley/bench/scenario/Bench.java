package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadPeer;
import dev.parley.bench.load.WsClient;
import dev.parley.bench.servers.Anchors;
import dev.parley.bench.servers.Deployment;
import dev.parley.bench.servers.ServerProcess;
import dev.parley.bench.servers.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every scenario shares: the load generator, the anchors, where Parley and scratch live. */
public final class Bench implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Bench.class);
  static final int IN_FLIGHT = 256; // connects under way at once
  private static final int WARM_UP_BATCH = 2_500; // held at once while warming up

  private final WsClient client = new WsClient(2, 0);
  private final Path parleyHome;
  private final Path workDir;
  private final Anchors anchors;
  private final Duration watchdog;
  private final List<String> parleyJvmOptions;

  public Bench(Path parleyHome, Path workDir, Duration watchdog, List<String> parleyJvmOptions) {
    this.parleyHome = parleyHome.toAbsolutePath().normalize();
    this.workDir = workDir.toAbsolutePath().normalize();
    this.watchdog = watchdog;
    this.parleyJvmOptions = List.copyOf(parleyJvmOptions);
    this.anchors = Anchors.install(this.workDir.resolve("anchors"));
  }

  public Deployment start(Target target) {
    log.info("Starting {}", target.label());
    return target.start(parleyHome, anchors, workDir, parleyJvmOptions);
  }

  /**
   * Warms the load generator before anything is measured: for each dialect among {@code targets},
   * {@code connections} clients connect (a bounded number at a time) to a throwaway instance of one
   * of those targets, and close again. The generator is a JVM on the same cores as the server it
   * measures, and its own client code (the WebSocket handshake, frames, and a Parley client's
   * signature) reaches its compiler's thresholds only after thousands of connections: left cold, it
   * compiled through the whole of the first target's steps and not through the next one's, so the
   * order of targets decided part of their comparison. The servers measured are still started
   * fresh, after this.
   */
  public void warmUp(List<Target> targets, int connections) {
    Map<Target.Dialect, Target> byDialect = new LinkedHashMap<>();
    for (Target target : targets) {
      byDialect.putIfAbsent(target.dialect(), target.oneNode()); // one process
    }
    for (Target target : byDialect.values()) {
      long started = System.nanoTime();
      try (Deployment server = start(target)) {
        for (int done = 0; done < connections; done += WARM_UP_BATCH) {
          List<LoadPeer> peers =
              prepare(target, "warm" + done + "x", Math.min(WARM_UP_BATCH, connections - done));
          try {
            open(peers, server::port);
          } finally {
            closeAll(peers);
          }
        }
      }
      log.info(
          "Warmed the load generator with {} connections to {} in {} ms",
          connections,
          target.label(),
          (System.nanoTime() - started) / 1_000_000);
    }
    // What the warm-up's connections left behind is collected now, not in a measured window.
    System.gc();
  }

  /** Starts a target that runs as one process, for a scenario that stops and starts it again. */
  public ServerProcess startProcess(Target target) {
    if (target.isCluster()) {
      throw new IllegalArgumentException(target.label() + " is not one process");
    }
    return (ServerProcess) start(target);
  }

  public Duration watchdog() {
    return watchdog;
  }

  /** Scratch space: logs, databases, the anchors. */
  public Path workDir() {
    return workDir;
  }

  public WsClient client() {
    return client;
  }

  /** Opens {@code count} ready peers named {@code prefix0..}, a bounded number at a time. */
  public List<LoadPeer> crowd(Target target, Deployment server, String prefix, int count) {
    List<LoadPeer> peers = prepare(target, prefix, count);
    open(peers, server::port);
    return peers;
  }

  /**
   * Creates peers without connecting them: a Parley peer makes its identity key here, as a real
   * client does once and keeps, so a timed connect measures the server rather than key generation.
   */
  public static List<LoadPeer> prepare(Target target, String prefix, int count) {
    List<LoadPeer> peers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      peers.add(LoadPeer.of(target, prefix + i));
    }
    return peers;
  }

  /**
   * Connects prepared peers, a bounded number at a time, and waits until all are ready; the peer
   * with index {@code i} connects to port {@code port.applyAsInt(i)}.
   */
  public void open(List<LoadPeer> peers, IntUnaryOperator port) {
    List<CompletableFuture<Void>> ready = new ArrayList<>(peers.size());
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    long deadline = System.nanoTime() + watchdog.toNanos();
    for (int i = 0; i < peers.size(); i++) {
      acquire(inFlight, deadline);
      ready.add(
          peers
              .get(i)
              .open(client, port.applyAsInt(i))
              .whenComplete((ok, error) -> inFlight.release()));
    }
    await(CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)), deadline);
  }

  /** Waits for {@code future}, but never past the watchdog's deadline. */
  public <T> T await(CompletableFuture<T> future, long deadlineNanos) {
    try {
      return future.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the watchdog stopped a step that ran over " + watchdog, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a load step failed: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public long deadline() {
    return System.nanoTime() + watchdog.toNanos();
  }

  /**
   * Lets time pass: for a measurement over time (idle CPU, a fixed-rate run), or a client's own
   * delay.
   */
  public static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Each node's resident memory before any client, read after {@code idle}, the spell each step
   * waits before its own reading: right after start a JVM's RSS still moves by ten MiB and more
   * (class loading, JIT, the collector sizing its heap; one node read 121 MiB at once and 132
   * seconds later, a cluster node 165 then 147), and a baseline read then skews every step's figure
   * per connection, most of all the small steps'.
   */
  public static long[] settledRss(Deployment deployment, Duration idle) {
    pause(idle);
    long[] rss = new long[deployment.nodes()];
    for (int node = 0; node < rss.length; node++) {
      rss[node] = deployment.rssBytes(node);
    }
    return rss;
  }

  private void acquire(Semaphore inFlight, long deadline) {
    try {
      if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("the watchdog stopped connecting after " + watchdog);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public static void closeAll(List<LoadPeer> peers) {
    peers.forEach(LoadPeer::close);
  }

  @Override
  public void close() {
    client.close();
  }
}
