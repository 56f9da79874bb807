package dev.parley.bench.scenario;

import dev.parley.bench.load.LoadPeer;
import dev.parley.bench.servers.Deployment;
import dev.parley.bench.servers.ProcStats;
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
    List<Row> serverCost = new ArrayList<>();
    List<Row> generatorCost = new ArrayList<>();
    for (int step : steps) {
      memory.add(Row.lower("memory per connection at " + step + " (KiB)"));
      rate.add(Row.higher("connect rate up to " + step + " (connections/s)"));
      serverCost.add(Row.lower("server CPU per connection up to " + step + " (ms)"));
      generatorCost.add(Row.lower("load generator CPU per connection up to " + step + " (ms)"));
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
          double serverBefore = server.cpuSeconds();
          double generatorBefore = generatorCpuSeconds();
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
              serverCost.set(rest, serverCost.get(rest).with(target, Double.NaN));
              generatorCost.set(rest, generatorCost.get(rest).with(target, Double.NaN));
            }
            break;
          }
          double seconds = (System.nanoTime() - started) / 1e9;
          peers.addAll(more);
          int added = step - (i == 0 ? 0 : steps.get(i - 1));
          double cpuBefore = server.cpuSeconds();
          double serverMs = (cpuBefore - serverBefore) * 1000 / added;
          double generatorMs = (generatorCpuSeconds() - generatorBefore) * 1000 / added;
          Bench.pause(idle);
          double idleCpu = (server.cpuSeconds() - cpuBefore) / (idle.toNanos() / 1e9) * 100;
          double perConnection = (server.rssBytes(0) - baseline) / 1024.0 / step;
          log.info(
              "{}: {} connections, {} KiB each, {} connections/s (CPU per connection: server {} ms,"
                  + " load generator {} ms), idle CPU {}%",
              target.label(),
              step,
              Math.round(perConnection),
              Math.round(added / seconds),
              String.format("%.3f", serverMs),
              String.format("%.3f", generatorMs),
              idleCpu);
          memory.set(i, memory.get(i).with(target, perConnection));
          rate.set(i, rate.get(i).with(target, added / seconds));
          cpu.set(i, cpu.get(i).with(target, idleCpu));
          serverCost.set(i, serverCost.get(i).with(target, serverMs));
          generatorCost.set(i, generatorCost.get(i).with(target, generatorMs));
        }
        Bench.closeAll(peers);
      }
    }
    List<Row> rows = new ArrayList<>(memory);
    rows.addAll(rate);
    rows.addAll(serverCost);
    rows.addAll(generatorCost);
    rows.addAll(cpu);
    return rows;
  }

  /** The CPU this JVM, the load generator, has used so far, in seconds (all its threads). */
  private static double generatorCpuSeconds() {
    return ProcStats.cpuSeconds(ProcessHandle.current().pid());
  }
}
