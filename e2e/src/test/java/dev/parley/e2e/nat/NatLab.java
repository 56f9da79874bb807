package dev.parley.e2e.nat;

import dev.parley.e2e.Chromium;
import dev.parley.testkit.CoturnServer;
import dev.parley.testkit.ParleyCommand;
import dev.parley.testkit.net.Host;
import dev.parley.testkit.net.LabProcess;
import dev.parley.testkit.net.NatKind;
import dev.parley.testkit.net.NetworkLab;
import dev.parley.testkit.net.PrivateRanges;
import dev.parley.testkit.net.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small internet for the NAT tests, built once and shared by their cases: a public server host
 * (203.0.113.10) running Parley servers, a public relay host (203.0.113.20) running coturn, and
 * sites behind home routers, symmetric NATs and a network that blocks UDP. Parley runs as real
 * {@code parley} processes (the test JVM's classpath), browsers as Debian's Chromium, each inside
 * its host's namespace; nothing here reaches outside the lab.
 */
final class NatLab implements AutoCloseable {
  static final String SERVER_ADDRESS = "203.0.113.10";
  static final String RELAY_ADDRESS = "203.0.113.20";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  final NetworkLab lab;
  final Host server;
  final Host relay;
  final Site homeA;
  final Site homeB;
  final Site strictC;
  final Site strictD;
  final Site noUdpE;
  final CoturnServer coturn;
  private final Path logs;
  private final AtomicInteger runs = new AtomicInteger();
  private final List<Chromium> browsers = new ArrayList<>();

  private NatLab(NetworkLab lab, Path logs) {
    this.lab = lab;
    this.logs = logs;
    this.server = lab.publicHost("server", SERVER_ADDRESS);
    this.relay = lab.publicHost("relay", RELAY_ADDRESS);
    this.homeA = lab.site("a", NatKind.HOME);
    this.homeB = lab.site("b", NatKind.HOME);
    this.strictC = lab.site("c", NatKind.SYMMETRIC);
    this.strictD = lab.site("d", NatKind.SYMMETRIC);
    this.noUdpE = lab.site("e", NatKind.UDP_BLOCKED);
    this.coturn =
        CoturnServer.builder()
            .commandPrefix(List.of("ip", "netns", "exec", relay.namespace().name()))
            .listeningIp(RELAY_ADDRESS)
            .relayIp(RELAY_ADDRESS)
            .deniedPeers(PrivateRanges.DENIED_PEERS)
            .start();
  }

  /**
   * Builds the lab; its logs, and the servers' and clients' data, go under {@code logs}, emptied
   * first so that each run starts with no user registered.
   */
  static NatLab create(Path logs) {
    deleteRecursively(logs);
    NetworkLab lab = NetworkLab.create();
    try {
      return new NatLab(lab, logs);
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /**
   * Starts {@code parley server} on the server host, listening on every address, with {@code
   * options}, and waits until it accepts connections from the sites.
   */
  LabProcess startServer(String name, int port, String... options) {
    List<String> args = new ArrayList<>(List.of("server", "--host", "0.0.0.0"));
    args.addAll(List.of("--port", String.valueOf(port), "--data", dir(name).toString()));
    args.addAll(List.of(options));
    LabProcess process = parley(server, name, args);
    lab.awaitTcpPort(homeA.host().namespace(), SERVER_ADDRESS, port, START_TIMEOUT);
    return process;
  }

  /** The TURN options of a server that offers the lab's coturn with {@code secret}. */
  List<String> turnOptions(String secret) {
    return List.of(
        "--turn", "turn:" + RELAY_ADDRESS + ":" + coturn.port(), "--turn-secret", secret);
  }

  /** Runs {@code parley ARGS} on {@code host}, its output in a log file named after {@code run}. */
  LabProcess parley(Host host, String run, List<String> args) {
    List<String> command = ParleyCommand.of(args);
    String id = runs.incrementAndGet() + "-" + run;
    return lab.start(
        host.namespace(),
        command,
        Map.of("PARLEY_LOG_LEVEL", "INFO"),
        dir(id),
        logs.resolve(id + ".log"));
  }

  /** A client command against the server on {@code port}, as {@code name} with its own profile. */
  LabProcess client(Host host, int port, String name, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--server",
            "http://" + SERVER_ADDRESS + ":" + port,
            "--name",
            name,
            "--profile",
            dir("profile-" + name).toString()));
    return parley(host, name, all);
  }

  /**
   * A Chromium of its own inside {@code host}'s namespace. The page is served over plain HTTP from
   * a public address, where browsers refuse WebCrypto; the lab's server origins are declared
   * secure, as a certificate would make them.
   */
  Chromium browser(Host host) {
    Path launcher = logs.resolve("chromium-in-" + host.name() + ".sh");
    try {
      Files.writeString(
          launcher,
          "#!/bin/sh\nexec ip netns exec "
              + host.namespace().name()
              + " /usr/bin/chromium \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Chromium chromium =
        Chromium.launch(
            launcher,
            List.of(
                "--unsafely-treat-insecure-origin-as-secure="
                    + "http://"
                    + SERVER_ADDRESS
                    + ":8080,http://"
                    + SERVER_ADDRESS
                    + ":8081"));
    browsers.add(chromium);
    return chromium;
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + dir, e);
    }
  }

  private Path dir(String name) {
    try {
      return Files.createDirectories(logs.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      browsers.forEach(Chromium::close);
      coturn.close();
    } finally {
      lab.close();
    }
  }
}
