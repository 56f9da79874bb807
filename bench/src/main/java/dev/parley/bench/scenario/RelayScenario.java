package dev.parley.bench.scenario;

import dev.parley.bench.load.Latencies;
import dev.parley.bench.load.LoadPeer;
import dev.parley.bench.servers.Deployment;
import dev.parley.bench.servers.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signaling relay: pairs of clients send each other offers of about 1 KB through the server. At
 * fixed rates, the latency from send (stamped on the sender's event loop as it builds the frame,
 * which it then writes; the generator's own delay before that is logged apart) to arrival (one
 * clock: one process) and the server's CPU per 1,000 messages; then saturation, each pair keeping a
 * window of offers in flight (every arrival is answered with the next), for the most messages per
 * second the server relays.
 */
public final class RelayScenario {
  private static final Logger log = LoggerFactory.getLogger(RelayScenario.class);
  private static final String PAD = "x".repeat(960);
  private static final int WINDOW = 8;

  /** How many measured windows long the fixed-rate warm-up before the first window is. */
  private static final int WARM_UP_WINDOWS = 3;

  private RelayScenario() {}

  public static List<Row> run(
      Bench bench, List<Target> targets, int pairs, List<Integer> rates, Duration duration) {
    List<Row> rows = new ArrayList<>();
    for (int rate : rates) {
      rows.add(Row.lower("p50 latency at " + rate + " msg/s (ms)"));
      rows.add(Row.lower("p99 latency at " + rate + " msg/s (ms)"));
      rows.add(Row.lower("server CPU per 1,000 messages at " + rate + " msg/s (ms)"));
    }
    rows.add(Row.higher("saturation throughput (msg/s)"));
    rows.add(Row.lower("server CPU per 1,000 messages at saturation (ms)"));
    for (Target target : targets) {
      try (Deployment server = bench.start(target)) {
        // Pair i is peers i and pairs + i; on several nodes, each receiver is on the node after
        // its sender's, so that every offer crosses nodes.
        List<LoadPeer> peers = Bench.prepare(target, "r", pairs * 2);
        bench.open(peers, i -> server.port(i < pairs ? i : i - pairs + 1));
        // Warm-up, not measured: three times the window, so that the JIT is done with the path
        // before the window. After one window's worth, each of three fresh nodes still compiled
        // 257 to 301 methods (111 to 129 in C2) during the measured 2,000 msg/s, one node 17.
        fixedRate(peers, pairs, rates.get(0), duration.multipliedBy(WARM_UP_WINDOWS));
        int row = 0;
        for (int rate : rates) {
          Run result = measure(server, () -> fixedRate(peers, pairs, rate, duration));
          log.info(
              "{} at {} msg/s: delivered {}, p50 {} ms, p99 {} ms; the generator's own delay before"
                  + " stamping: p99 {} ms, max {} ms",
              target.label(),
              rate,
              result.delivered,
              result.latencies.quantileMillis(0.5),
              result.latencies.quantileMillis(0.99),
              result.lag.quantileMillis(0.99),
              result.lag.quantileMillis(1.0));
          rows.set(row, rows.get(row++).with(target, result.latencies.quantileMillis(0.5)));
          rows.set(row, rows.get(row++).with(target, result.latencies.quantileMillis(0.99)));
          rows.set(row, rows.get(row++).with(target, result.cpuPer1000()));
        }
        // Saturation takes paths a fixed rate does not (on several nodes, a turn's frames for a
        // node published together as one batch), which the JIT would otherwise compile during the
        // measured window: a third of the duration at full load first, not measured, drained.
        saturate(peers, pairs, duration.dividedBy(3));
        drain(peers, bench.deadline());
        Run saturated = measure(server, () -> saturate(peers, pairs, duration));
        double throughput = saturated.delivered / (duration.toNanos() / 1e9);
        log.info("{} saturated at {} msg/s", target.label(), Math.round(throughput));
        rows.set(row, rows.get(row++).with(target, throughput));
        rows.set(row, rows.get(row).with(target, saturated.cpuPer1000()));
        Bench.closeAll(peers);
      }
    }
    return rows;
  }

  /** Runs {@code load} and charges it the server CPU time it took. */
  private static Run measure(Deployment server, java.util.function.Supplier<Run> load) {
    double before = server.cpuSeconds();
    Run run = load.get();
    run.cpuSeconds = server.cpuSeconds() - before;
    return run;
  }

  /** What one run delivered and what it cost the server. */
  private static final class Run {
    final Latencies latencies;

    /**
     * At a fixed rate, from each message's scheduled moment to its payload's stamp on the sender's
     * loop: the load generator's own delay, which the latency leaves out.
     */
    final Latencies lag;

    final AtomicLong deliveredCount = new AtomicLong();
    long delivered;
    double cpuSeconds;

    /** A run expected to deliver about {@code expected} messages. */
    Run(long expected) {
      latencies = new Latencies((int) Math.min(8_000_000, expected * 2 + 1000));
      lag = new Latencies((int) Math.min(8_000_000, expected + 1000));
    }

    double cpuPer1000() {
      return delivered == 0 ? Double.NaN : cpuSeconds / delivered * 1000 * 1000; // ms per 1,000
    }
  }

  private static Run fixedRate(List<LoadPeer> peers, int pairs, int rate, Duration duration) {
    Run run = new Run((long) rate * duration.toSeconds());
    listen(peers, pairs, run, false);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long sent = 0;
    while (System.nanoTime() < end) {
      long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
      for (; sent < due; sent++) {
        int pair = (int) (sent % pairs);
        long scheduled = start + (long) (sent * 1e9 / rate);
        peers
            .get(pair)
            .relay(
                peers.get(pair + pairs).name(),
                () -> {
                  run.lag.record(System.nanoTime() - scheduled);
                  return payload();
                });
      }
      LockSupport.parkNanos(200_000);
    }
    run.delivered = run.deliveredCount.get();
    return run;
  }

  private static Run saturate(List<LoadPeer> peers, int pairs, Duration duration) {
    Run run = new Run(50_000L * duration.toSeconds());
    listen(peers, pairs, run, true);
    for (int pair = 0; pair < pairs; pair++) {
      for (int i = 0; i < WINDOW; i++) {
        peers.get(pair).relay(peers.get(pair + pairs).name(), payload());
      }
    }
    Bench.pause(duration);
    run.delivered = run.deliveredCount.get();
    peers.forEach(peer -> peer.onRelay(text -> {})); // stop answering
    return run;
  }

  /**
   * Waits until the offers still in flight after a closed loop stopped answering have arrived (no
   * arrival for 300 ms), so that none is counted by, or answered in, the run after it.
   */
  private static void drain(List<LoadPeer> peers, long deadlineNanos) {
    AtomicLong arrived = new AtomicLong();
    peers.forEach(peer -> peer.onRelay(text -> arrived.incrementAndGet()));
    long seen = -1;
    while (arrived.get() != seen) {
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException("offers still arriving when the watchdog ran out");
      }
      seen = arrived.get();
      LockSupport.parkNanos(300_000_000L);
    }
  }

  /** Receivers record each arrival; in a closed loop they also answer it with the next offer. */
  private static void listen(List<LoadPeer> peers, int pairs, Run run, boolean answer) {
    for (int pair = 0; pair < pairs; pair++) {
      LoadPeer sender = peers.get(pair);
      LoadPeer receiver = peers.get(pair + pairs);
      receiver.onRelay(
          text -> {
            run.latencies.record(System.nanoTime() - LoadPeer.sentNanos(text));
            run.deliveredCount.incrementAndGet();
            if (answer) {
              receiver.relay(sender.name(), payload());
            }
          });
      sender.onRelay(
          text -> {
            run.deliveredCount.incrementAndGet();
            if (answer) {
              sender.relay(receiver.name(), payload());
            }
          });
    }
  }

  private static String payload() {
    return "{\"t\":" + System.nanoTime() + ",\"sdp\":\"" + PAD + "\"}";
  }
}
