package dev.parley.bench;

import dev.parley.bench.scenario.Bench;
import dev.parley.bench.scenario.ConnectionsScenario;
import dev.parley.bench.scenario.FloorScenario;
import dev.parley.bench.scenario.NodesConnectionsScenario;
import dev.parley.bench.scenario.PresenceScenario;
import dev.parley.bench.scenario.RelayScenario;
import dev.parley.bench.scenario.Report;
import dev.parley.bench.scenario.Row;
import dev.parley.bench.scenario.StormScenario;
import dev.parley.bench.servers.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scripts/bench}: runs the scenarios and prints one Markdown report. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures Parley beside the stock PeerServer and the original Socket.IO design, back to back"
          + " on this machine, and prints the figures with Parley's advantage over each.",
      "Servers listen on loopback only; every load loop is bounded and a watchdog stops a step that"
          + " runs too long."
    })
public final class Main implements Callable<Integer> {
  private static final List<Target> CONNECTIONS =
      List.of(
          Target.PARLEY,
          Target.PARLEY_CONTACTS,
          Target.PEERSERVER,
          Target.SOCKETIO,
          Target.BARE_NETTY,
          Target.BARE_NETTY_LOGIN,
          Target.BARE_NETTY_LOGIN_AT_ONCE);
  private static final List<Target> RELAY =
      List.of(Target.PARLEY, Target.PARLEY_PEERJS, Target.PEERSERVER);
  private static final List<Target> PRESENCE = List.of(Target.PARLEY, Target.SOCKETIO);
  private static final List<Target> STORM = List.of(Target.PARLEY, Target.PARLEY_CONTACTS);
  private static final List<Target> CLUSTER = List.of(Target.PARLEY, Target.PARLEY_CLUSTER);
  private static final List<Target> CLUSTER_CONTACTS =
      List.of(Target.PARLEY_CONTACTS, Target.PARLEY_CLUSTER_CONTACTS);
  private static final Map<String, List<Target>> SCENARIO_TARGETS =
      Map.of(
          "connections", CONNECTIONS,
          "relay", RELAY,
          "presence", PRESENCE,
          "storm", STORM,
          "cluster",
              java.util.stream.Stream.concat(CLUSTER.stream(), CLUSTER_CONTACTS.stream()).toList());

  @Option(names = "--quick", description = "A smoke run with small numbers, well under a minute.")
  boolean quick;

  @Option(
      names = "--scenarios",
      split = ",",
      defaultValue = "connections,relay,presence,floor,cluster",
      description =
          "Which to run: connections, relay, presence, floor (plain sockets, no server: what the"
              + " machine allows), cluster, storm (default: all but storm, a restart of its own).")
  Set<String> scenarios;

  @Option(
      names = "--connection-steps",
      split = ",",
      description = "Steps of the connections scenario (default: 1000,5000,10000,19500).")
  List<Integer> connectionSteps;

  @Option(
      names = "--targets",
      split = ",",
      description =
          "Only these servers: parley, parley_contacts, parley_peerjs, parley_cluster,"
              + " parley_cluster_contacts, peerserver, socketio, bare_netty (default: all a"
              + " scenario measures).")
  Set<String> targets;

  @Option(
      names = "--parley-jvm-option",
      description =
          "An extra JVM option for Parley's server process, e.g. one that starts a flight"
              + " recording; repeatable.")
  List<String> parleyJvmOptions = List.of();

  @Option(names = "--parley-home", defaultValue = ".", description = "The Parley checkout.")
  Path parleyHome;

  @Option(
      names = "--work",
      defaultValue = "bench/target/run",
      description = "Scratch directory (anchors, logs, databases).")
  Path work;

  @Option(names = "--out", description = "Also write the report to this file.")
  Path out;

  @Option(
      names = "--warm-up-connections",
      description =
          "Connections per dialect that warm the load generator against a throwaway server before"
              + " anything is measured (default 10,000; 200 with --quick; 0: none).")
  Integer warmUpConnections;

  @Option(
      names = "--watchdog-seconds",
      defaultValue = "600",
      description = "Longest any one load step may take.")
  int watchdogSeconds;

  @Override
  public Integer call() throws Exception {
    Report report = new Report();
    long started = System.nanoTime();
    try (Bench bench =
        new Bench(parleyHome, work, Duration.ofSeconds(watchdogSeconds), parleyJvmOptions)) {
      int warmUp = warmUpConnections != null ? warmUpConnections : quick ? 200 : 10_000;
      if (warmUp > 0) {
        bench.warmUp(measured(), warmUp);
      }
      if (scenarios.contains("connections")) {
        report.add(
            "Connections held",
            ConnectionsScenario.run(
                bench,
                chosen(CONNECTIONS),
                connectionSteps != null
                    ? connectionSteps
                    : quick ? List.of(100, 300) : List.of(1000, 5000, 10_000, 19_500),
                // Long enough for each server to settle after the logins of the step (a collector
                // gives back what they used), so that what is measured is an idle connection.
                Duration.ofSeconds(quick ? 1 : 30)));
      }
      if (scenarios.contains("relay")) {
        report.add(
            "Signaling relay (about 1 KB offers between " + (quick ? 20 : 500) + " pairs)",
            RelayScenario.run(
                bench,
                chosen(RELAY),
                quick ? 20 : 500,
                quick ? List.of(500) : List.of(2000, 10_000),
                Duration.ofSeconds(quick ? 1 : 10)));
      }
      if (scenarios.contains("presence")) {
        report.add("Presence", presence(bench, PRESENCE));
      }
      if (scenarios.contains("floor")) {
        report.addSection(
            FloorScenario.run(
                quick ? List.of(100) : List.of(1000, 5000),
                quick ? 5 : 30,
                quick ? 500 : 2000,
                quick ? 500 : 20_000,
                bench.deadline()));
      }
      if (scenarios.contains("storm")) {
        int users = quick ? 200 : 19_500;
        Duration jitter = Duration.ofSeconds(quick ? 1 : 10);
        report.add(
            String.format(
                java.util.Locale.ROOT,
                "Restart storm (%,d users reconnect after a jitter uniform in [0, %d s], fixed"
                    + " seed; in contacts presence each watches %d others after login)",
                users,
                jitter.toSeconds(),
                StormScenario.WATCHED),
            StormScenario.run(bench, chosen(STORM), users, jitter));
      }
      if (scenarios.contains("cluster")) {
        cluster(bench, report);
      }
    }
    String text =
        "Run "
            + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            + (quick ? " (quick mode: figures too small to quote)" : "")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + Math.round((System.nanoTime() - started) / 1e9)
            + " s\n\n"
            + report.markdown();
    System.out.println(text);
    if (out != null) {
      Files.writeString(out, text);
    }
    return 0;
  }

  /**
   * Several nodes: three nodes on Redis and PostgreSQL against one node, clients dealt over the
   * nodes in turn.
   */
  private void cluster(Bench bench, Report report) {
    int pairs = quick ? 20 : 500;
    report.add(
        "Several nodes: signaling relay across nodes (about 1 KB offers between "
            + pairs
            + " pairs)",
        RelayScenario.run(
            bench,
            chosen(CLUSTER),
            pairs,
            List.of(quick ? 500 : 2000),
            Duration.ofSeconds(quick ? 1 : 10)));
    report.add(
        "Several nodes: presence (a join on the first node reaching clients on every node)",
        presence(bench, CLUSTER));
    // 45,000 is the target; at 58,500 each of three nodes holds the one node's last step,
    // 19,500, so that memory per connection compares at the same count on a node.
    report.add(
        "Several nodes: logins and connections held in contacts presence (each user watching 20)",
        NodesConnectionsScenario.run(
            bench,
            chosen(CLUSTER_CONTACTS),
            quick ? List.of(100, 300) : List.of(1000, 5000, 10_000, 19_500, 45_000, 58_500),
            19_500,
            20,
            Duration.ofSeconds(quick ? 1 : 30)));
  }

  /** The presence scenario, at the same sizes wherever it runs. */
  private List<Row> presence(Bench bench, List<Target> targets) {
    return PresenceScenario.run(
        bench,
        chosen(targets),
        quick ? List.of(100) : List.of(1000, 5000),
        quick ? 2 : 5,
        Duration.ofSeconds(quick ? 0 : 2),
        quick ? 4 : 20,
        Duration.ofSeconds(quick ? 1 : 10));
  }

  /** Every target the chosen scenarios measure. */
  private List<Target> measured() {
    return chosen(
        java.util.Arrays.stream(Target.values())
            .filter(
                target ->
                    scenarios.stream()
                        .anyMatch(
                            scenario ->
                                SCENARIO_TARGETS
                                    .getOrDefault(scenario, List.of())
                                    .contains(target)))
            .toList());
  }

  private List<Target> chosen(List<Target> measured) {
    return targets == null
        ? measured
        : measured.stream()
            .filter(t -> targets.contains(t.name().toLowerCase(java.util.Locale.ROOT)))
            .toList();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
