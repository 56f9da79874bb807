package dev.parley.bench.scenario;

import dev.parley.bench.servers.Deployment;
import dev.parley.bench.servers.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections held by one node and by several, in contacts presence with each user watching the
 * next {@code watch} users of the crowd (wherever they are): at each step, the connect rate, the
 * CPU each login cost the deployment (nodes, Redis and PostgreSQL; the one node's SQLite is in its
 * process), the welcome's size, and, after an idle spell, the resident memory per connection of the
 * node that holds the most per connection. The load generator runs as one process per node ({@link
 * Generators}), so that the crowd can outgrow one process's open-file limit; a target takes only
 * the steps where each of its nodes holds at most {@code perNodeLimit}.
 */
public final class NodesConnectionsScenario {
  private static final Logger log = LoggerFactory.getLogger(NodesConnectionsScenario.class);

  private NodesConnectionsScenario() {}

  public static List<Row> run(
      Bench bench,
      List<Target> targets,
      List<Integer> steps,
      int perNodeLimit,
      int watch,
      Duration idle) {
    List<Row> rate = new ArrayList<>();
    List<Row> login = new ArrayList<>();
    List<Row> welcome = new ArrayList<>();
    List<Row> memory = new ArrayList<>();
    List<Row> memoryMean = new ArrayList<>();
    for (int step : steps) {
      String at = String.format(java.util.Locale.ROOT, "%,d", step);
      rate.add(Row.higher("connect rate up to " + at + " (logins/s)"));
      login.add(Row.lower("CPU per login up to " + at + " (ms)"));
      welcome.add(Row.lower("welcome size at " + at + " (bytes)"));
      memory.add(Row.lower("memory per connection at " + at + ", fullest node (KiB)"));
      memoryMean.add(Row.lower("memory per connection at " + at + ", mean of the nodes (KiB)"));
    }
    for (Target target : targets) {
      try (Deployment deployment = bench.start(target);
          Generators generators =
              Generators.start(deployment, watch, bench.watchdog(), bench.workDir())) {
        int nodes = deployment.nodes();
        long[] baseline = Bench.settledRss(deployment, idle);
        int held = 0;
        for (int i = 0; i < steps.size(); i++) {
          int step = steps.get(i);
          if (share(step, 0, nodes) > perNodeLimit) {
            break; // beyond what one node is measured with: left empty, not failed
          }
          List<Integer> more = new ArrayList<>();
          for (int node = 0; node < nodes; node++) {
            more.add(share(step, node, nodes) - share(held, node, nodes));
          }
          int added = step - held;
          double cpuBefore = deployment.cpuSeconds();
          long started = System.nanoTime();
          long welcomeBytes;
          try {
            welcomeBytes = generators.open(more);
          } catch (IllegalStateException e) {
            log.warn("{}: {} connections not reached: {}", target.label(), step, e.getMessage());
            for (int rest = i; rest < steps.size(); rest++) {
              rate.set(rest, rate.get(rest).with(target, Double.NaN));
              login.set(rest, login.get(rest).with(target, Double.NaN));
              welcome.set(rest, welcome.get(rest).with(target, Double.NaN));
              memory.set(rest, memory.get(rest).with(target, Double.NaN));
              memoryMean.set(rest, memoryMean.get(rest).with(target, Double.NaN));
            }
            break;
          }
          double seconds = (System.nanoTime() - started) / 1e9;
          double cpu = deployment.cpuSeconds() - cpuBefore;
          held = step;
          Bench.pause(idle);
          // The fullest is the strict reading; each node's own is a draw of the same noise, so
          // the largest of three lies above one node's by that alone, and the mean is beside it.
          double[] perConnection = new double[nodes];
          for (int node = 0; node < nodes; node++) {
            perConnection[node] =
                (deployment.rssBytes(node) - baseline[node]) / 1024.0 / share(step, node, nodes);
          }
          double fullest = Arrays.stream(perConnection).max().orElse(Double.NaN);
          double mean = Arrays.stream(perConnection).average().orElse(Double.NaN);
          log.info(
              "{}: {} logged in, {} logins/s, {} ms CPU per login, welcome {} bytes, KiB a"
                  + " connection on each node {}",
              target.label(),
              step,
              Math.round(added / seconds),
              cpu / added * 1000,
              welcomeBytes / added,
              Arrays.stream(perConnection)
                  .mapToObj(kib -> String.format(java.util.Locale.ROOT, "%.2f", kib))
                  .toList());
          rate.set(i, rate.get(i).with(target, added / seconds));
          login.set(i, login.get(i).with(target, cpu / added * 1000));
          welcome.set(i, welcome.get(i).with(target, (double) welcomeBytes / added));
          memory.set(i, memory.get(i).with(target, fullest));
          memoryMean.set(i, memoryMean.get(i).with(target, mean));
        }
      }
    }
    List<Row> rows = new ArrayList<>(rate);
    rows.addAll(login);
    rows.addAll(welcome);
    rows.addAll(memory);
    rows.addAll(memoryMean);
    return rows;
  }

  /** How many of the first {@code count} users of a crowd dealt in turn are on {@code node}. */
  static int share(int count, int node, int nodes) {
    return count / nodes + (node < count % nodes ? 1 : 0);
  }
}
