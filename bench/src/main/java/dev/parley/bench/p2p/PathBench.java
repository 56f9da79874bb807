package dev.parley.bench.p2p;

import dev.parley.testkit.CoturnServer;
import dev.parley.testkit.net.Host;
import dev.parley.testkit.net.LabProcess;
import dev.parley.testkit.net.NatKind;
import dev.parley.testkit.net.NetworkLab;
import dev.parley.testkit.net.PrivateRanges;
import dev.parley.testkit.net.Site;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench-p2p paths}: how long a link takes to open, and a message's round trip, on
 * the paths people's links take, in a network lab of namespaces (root only): two clients on one
 * host, two behind home routers with the server's STUN, two behind symmetric NATs through coturn;
 * each beside a TCP connection over the same namespaces.
 */
@Command(
    name = "bench-p2p paths",
    mixinStandardHelpOptions = true,
    description = "Link open time and round trip: one host, through NAT, through TURN.")
public final class PathBench implements Callable<Integer> {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SERVER = "203.0.113.10";
  private static final String RELAY = "203.0.113.20";
  private static final int TCP_PORT = 9000;

  @Option(names = "--quick", description = "Small numbers, for a smoke run.")
  boolean quick;

  @Option(names = "--opens", description = "Links opened per path (default: 20, quick: 3).")
  Integer opensOption;

  @Option(
      names = "--hold",
      defaultValue = "10",
      description = "Seconds each link is kept afterwards, a message a second (default: 10).")
  int hold;

  @Option(names = "--work", defaultValue = "bench/target/paths", description = "Scratch directory.")
  Path work;

  @Option(names = "--out", description = "Also write the report to this file.")
  Path out;

  private final List<String> rows = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();
  private Path dir = Path.of(".");

  public static void main(String[] args) {
    int code = new CommandLine(new PathBench()).execute(args);
    System.out.flush();
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    int opens = opensOption != null ? opensOption : quick ? 3 : 20;
    int rounds = quick ? 50 : 500;
    dir = Files.createDirectories(work.toAbsolutePath()).resolve("run-" + System.nanoTime());
    try (NetworkLab lab = NetworkLab.create()) {
      Host server = lab.publicHost("server", SERVER);
      Host relayHost = lab.publicHost("relay", RELAY);
      Site a = lab.site("a", NatKind.HOME);
      Site b = lab.site("b", NatKind.HOME);
      Site c = lab.site("c", NatKind.SYMMETRIC);
      Site d = lab.site("d", NatKind.SYMMETRIC);
      try (CoturnServer coturn =
          CoturnServer.builder()
              .commandPrefix(List.of("ip", "netns", "exec", relayHost.namespace().name()))
              .listeningIp(RELAY)
              .relayIp(RELAY)
              .deniedPeers(PrivateRanges.DENIED_PEERS)
              .start()) {
        server(lab, server, 8080, List.of());
        server(
            lab,
            server,
            8081,
            List.of(
                "--stun-port",
                "3490",
                "--turn",
                "turn:" + RELAY + ":" + coturn.port(),
                "--turn-secret",
                coturn.secret()));
        lab.awaitTcpPort(a.host().namespace(), SERVER, 8080, WAIT);
        lab.awaitTcpPort(c.host().namespace(), SERVER, 8081, WAIT);
        probe(lab, server, "tcp-echo", String.valueOf(TCP_PORT));
        probe(lab, a.host(), "tcp-echo", String.valueOf(TCP_PORT));
        probe(lab, relayHost, "tcp-echo", String.valueOf(TCP_PORT));

        path(lab, "one host (a LAN)", a.host(), a.host(), 8080, opens, rounds, "127.0.0.1");
        path(
            lab,
            "home router ⇄ home router, STUN",
            a.host(),
            b.host(),
            8080,
            opens,
            rounds,
            SERVER);
        try {
          path(lab, "symmetric ⇄ symmetric, TURN", c.host(), d.host(), 8081, opens, rounds, RELAY);
        } finally {
          Files.writeString(dir.resolve("coturn.log"), coturn.log(100_000));
        }
      }
    }
    String report = report(opens, rounds);
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
    return 0;
  }

  /**
   * One path: bob echoes on {@code bobHost}, alice measures from {@code aliceHost}; then TCP from
   * alice's host to {@code tcpTarget} (the public host the path leads to, or loopback).
   */
  private void path(
      NetworkLab lab,
      String name,
      Host aliceHost,
      Host bobHost,
      int port,
      int opens,
      int rounds,
      String tcpTarget) {
    String uri = "ws://" + SERVER + ":" + port + "/ws";
    String bob = "bob" + runs.get();
    String alice = "alice" + runs.get();
    LabProcess echo = probe(lab, bobHost, "echo", uri, bob);
    try {
      String[] link =
          result(
              probe(
                  lab, aliceHost, "measure", uri, alice, bob, "" + opens, "" + rounds, "" + hold));
      String[] tcp =
          result(probe(lab, aliceHost, "tcp", tcpTarget, "" + TCP_PORT, "" + opens, "" + rounds));
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %.1f / %.1f ms | %,d / %,d µs | %.2f / %.2f ms | %,d / %,d µs | %s |",
              name,
              Long.parseLong(link[1]) / 1000.0,
              Long.parseLong(link[2]) / 1000.0,
              Long.parseLong(link[3]),
              Long.parseLong(link[4]),
              Long.parseLong(tcp[1]) / 1000.0,
              Long.parseLong(tcp[2]) / 1000.0,
              Long.parseLong(tcp[3]),
              Long.parseLong(tcp[4]),
              link[5].replace('_', ' ')));
    } finally {
      echo.close();
    }
  }

  private static String[] result(LabProcess measuring) {
    String line = measuring.awaitLine(l -> l.startsWith("RESULT "), Duration.ofMinutes(5));
    measuring.awaitExit(WAIT);
    return line.split(" ", 6);
  }

  private void server(NetworkLab lab, Host host, int port, List<String> options) {
    List<String> command = new ArrayList<>(java("app/target/parley-app.jar", "app/target/lib"));
    command.addAll(
        List.of(
            "dev.parley.app.Main",
            "server",
            "--host",
            "0.0.0.0",
            "--port",
            "" + port,
            "--data",
            dir.resolve("server-" + port).toString()));
    command.addAll(options);
    start(lab, host, "server-" + port, command);
  }

  private LabProcess probe(NetworkLab lab, Host host, String... args) {
    List<String> command =
        new ArrayList<>(java("bench/target/parley-bench.jar", "bench/target/lib"));
    command.add(PathProbe.class.getName());
    command.addAll(List.of(args));
    LabProcess process = start(lab, host, args[0], command);
    if (args[0].endsWith("echo")) {
      process.awaitLine(line -> line.equals("READY"), WAIT);
    }
    return process;
  }

  private LabProcess start(NetworkLab lab, Host host, String what, List<String> command) {
    String id = runs.incrementAndGet() + "-" + what + "-" + host.name();
    try {
      return lab.start(
          host.namespace(),
          command,
          Map.of("PARLEY_LOG_LEVEL", System.getenv().getOrDefault("PARLEY_LOG_LEVEL", "INFO")),
          Files.createDirectories(dir.resolve(id)),
          dir.resolve(id + ".log"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> java(String jar, String lib) {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path root = Path.of("").toAbsolutePath();
    return List.of(
        java,
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        root.resolve(jar) + ":" + root.resolve(lib) + "/*");
  }

  private String report(int opens, int rounds) {
    StringBuilder b = new StringBuilder();
    b.append("### Link paths (")
        .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE))
        .append(quick ? ", quick" : "")
        .append(", ")
        .append(opens)
        .append(" opens, ")
        .append(rounds)
        .append(" round trips of 100 B, each link then held ")
        .append(hold)
        .append(" s)\n\n")
        .append(
            "| path | link open, median / p99 | round trip, median / p99 | TCP connect, median"
                + " / p99 | TCP round trip, median / p99 | the link's path |\n")
        .append("|---|---:|---:|---:|---:|---|\n");
    rows.forEach(row -> b.append(row).append('\n'));
    return b.toString();
  }
}
