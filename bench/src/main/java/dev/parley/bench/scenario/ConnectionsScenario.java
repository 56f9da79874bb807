package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadPeer;
import dev.parley.bench.servers.Deployment;
import dev.parley.bench.servers.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections held: the clients of each target connect (and, where the dialect has it, register:
 * Parley logs in, PeerJS gets OPEN) in steps; at each step, resident memory per connection (over
 * the server's memory before any connection), the connect rate of the step, and the server's CPU
 * while the connections sit idle.
 */
public final class ConnectionsScenario {
  private static final Logger log = LoggerFactory.getLogger(ConnectionsScenario.class);

  private ConnectionsScenario() {}

  public static List<Row> run(
      Bench bench, List<Target> targets, List<Integer> steps, Duration idle) {
    List<Row> memory = new ArrayList<>();
    List<Row> rate = new ArrayList<>();
    List<Row> cpu = new ArrayList<>();
    for (int step : steps) {
      memory.add(Row.lower("memory per connection at " + step + " (KiB)"));
      rate.add(Row.higher("connect rate up to " + step + " (connections/s)"));
      cpu.add(Row.lower("idle server CPU with " + step + " connected (% of a core)"));
    }
    for (Target target : targets) {
      try (Deployment server = bench.start(target)) {
        long baseline = Bench.settledRss(server, idle)[0];
        List<LoadPeer> peers = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
          int step = steps.get(i);
          List<LoadPeer> more =
              Bench.prepare(target, "c" + peers.size() + "x", step - peers.size());
          long started = System.nanoTime();
          try {
            bench.open(more, server::port);
          } catch (IllegalStateException e) {
            // Recorded as not reached (n/a); the other targets are still measured.
            log.warn("{}: {} connections not reached: {}", target.label(), step, e.getMessage());
            Bench.closeAll(more);
            for (int rest = i; rest < steps.size(); rest++) {
              memory.set(rest, memory.get(rest).with(target, Double.NaN));
              rate.set(rest, rate.get(rest).with(target, Double.NaN));
              cpu.set(rest, cpu.get(rest).with(target, Double.NaN));
            }
            break;
          }
          double seconds = (System.nanoTime() - started) / 1e9;
          peers.addAll(more);
          int added = step - (i == 0 ? 0 : steps.get(i - 1));
          double cpuBefore = server.cpuSeconds();
          Bench.pause(idle);
          double idleCpu = (server.cpuSeconds() - cpuBefore) / (idle.toNanos() / 1e9) * 100;
          double perConnection = (server.rssBytes(0) - baseline) / 1024.0 / step;
          log.info(
              "{}: {} connections, {} KiB each, {} connections/s, idle CPU {}%",
              target.label(),
              step,
              Math.round(perConnection),
              Math.round(added / seconds),
              idleCpu);
          memory.set(i, memory.get(i).with(target, perConnection));
          rate.set(i, rate.get(i).with(target, added / seconds));
          cpu.set(i, cpu.get(i).with(target, idleCpu));
        }
        Bench.closeAll(peers);
      }
    }
    List<Row> rows = new ArrayList<>(memory);
    rows.addAll(rate);
    rows.addAll(cpu);
    return rows;
  }
}
