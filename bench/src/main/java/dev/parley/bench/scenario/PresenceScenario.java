package dev.parley.bench.scenario;

import dev.parley.bench.load.Latencies;
import dev.parley.bench.load.LoadPeer;
import dev.parley.bench.servers.Deployment;
import dev.parley.bench.servers.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence: with N clients online, the time until one more client's join reaches every one of them
 * (from the moment its login or "username" is sent), and sustained churn: clients joining and
 * leaving in a loop while the N stay online and hear of every change.
 *
 * <p>Each measured join comes to a server at rest: {@code settle} after the last change (the crowd
 * logging in, the previous joiner leaving), so that it measures a lone join and not what is left of
 * the previous step's work; sustained churn is measured separately.
 *
 * <p>For the Socket.IO design the N only connect (the server broadcasts to every connected socket
 * whether or not it sent a name), which spares it the O(N²) set-up; Parley's N log in.
 */
public final class PresenceScenario {
  private static final Logger log = LoggerFactory.getLogger(PresenceScenario.class);

  private PresenceScenario() {}

  public static List<Row> run(
      Bench bench,
      List<Target> targets,
      List<Integer> sizes,
      int joins,
      Duration settle,
      int churners,
      Duration churnFor) {
    List<Row> rows = new ArrayList<>();
    for (int size : sizes) {
      rows.add(Row.lower("join reaches all " + size + ": median client (ms)"));
      rows.add(Row.lower("join reaches all " + size + ": p99 client (ms)"));
      rows.add(Row.lower("join reaches all " + size + ": last client (ms)"));
    }
    int largest = sizes.get(sizes.size() - 1);
    rows.add(Row.higher("sustained joins+leaves per second, " + largest + " online"));
    rows.add(Row.lower("server CPU per join+leave, " + largest + " online (ms)"));
    for (Target target : targets) {
      int row = 0;
      for (int size : sizes) {
        try (Deployment server = bench.start(target)) {
          List<LoadPeer> online = bench.crowd(target, server, "o", size);
          Latencies median = new Latencies(joins);
          Latencies p99 = new Latencies(joins);
          Latencies last = new Latencies(joins);
          for (int j = 0; j < joins; j++) {
            Bench.pause(settle);
            Latencies reach = join(bench, target, server, online, "joiner" + j);
            median.record((long) (reach.quantileMillis(0.5) * 1e6));
            p99.record((long) (reach.quantileMillis(0.99) * 1e6));
            last.record((long) (reach.quantileMillis(1.0) * 1e6));
          }
          log.info(
              "{}: a join reaches {} online: median {} ms, p99 {} ms, last {} ms",
              target.label(),
              size,
              median.quantileMillis(0.5),
              p99.quantileMillis(0.5),
              last.quantileMillis(0.5));
          rows.set(row, rows.get(row++).with(target, median.quantileMillis(0.5)));
          rows.set(row, rows.get(row++).with(target, p99.quantileMillis(0.5)));
          rows.set(row, rows.get(row++).with(target, last.quantileMillis(0.5)));
          if (size == largest) {
            double cpuBefore = server.cpuSeconds();
            long cycles = churn(bench, target, server, churners, churnFor);
            double cpu = server.cpuSeconds() - cpuBefore;
            double perSecond = cycles * 2 / (churnFor.toNanos() / 1e9);
            log.info(
                "{}: {} joins+leaves/s with {} online",
                target.label(),
                Math.round(perSecond),
                size);
            rows.set(row, rows.get(row).with(target, perSecond));
            rows.set(
                row + 1,
                rows.get(row + 1)
                    .with(target, cycles == 0 ? Double.NaN : cpu / (cycles * 2) * 1000));
          }
          online.forEach(peer -> peer.onPresence(text -> {}));
          Bench.closeAll(online);
        }
      }
    }
    return rows;
  }

  /** One client joins; returns how long its join took to reach each online client. */
  private static Latencies join(
      Bench bench, Target target, Deployment server, List<LoadPeer> online, String name) {
    Latencies reach = new Latencies(online.size());
    CountDownLatch all = new CountDownLatch(online.size());
    LoadPeer joiner = LoadPeer.of(target, name);
    String marker = "\"" + name + "\"";
    for (LoadPeer peer : online) {
      boolean[] seen = {false};
      peer.onPresence(
          text -> {
            if (!seen[0] && text.contains(marker)) {
              seen[0] = true;
              reach.record(System.nanoTime() - joiner.joinSentNanos());
              all.countDown();
            }
          });
    }
    long deadline = bench.deadline();
    bench.await(joiner.open(bench.client(), server.port(0)), deadline);
    joiner.announce();
    try {
      if (!all.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException(
            "a join reached only " + (online.size() - all.getCount()) + " of " + online.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    joiner.close();
    return reach;
  }

  /** Churners join and leave in a loop for {@code duration}; returns the completed cycles. */
  private static long churn(
      Bench bench, Target target, Deployment server, int churners, Duration duration) {
    AtomicLong cycles = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    for (int c = 0; c < churners; c++) {
      int churner = c;
      loops.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                  LoadPeer peer = LoadPeer.of(target, "churn" + churner + "x" + i);
                  CompletableFuture<Void> heard = new CompletableFuture<>();
                  String marker = "\"" + peer.name() + "\"";
                  peer.onPresence(
                      text -> {
                        if (text.contains(marker)) {
                          heard.complete(null);
                        }
                      });
                  bench.await(peer.open(bench.client(), server.port(churner)), bench.deadline());
                  peer.announce();
                  bench.await(
                      heard, bench.deadline()); // its join went out to everyone before it leaves
                  peer.close();
                  cycles.incrementAndGet();
                }
              },
              threads));
    }
    bench.await(CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)), bench.deadline());
    threads.close();
    return cycles.get();
  }
}
