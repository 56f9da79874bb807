package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Starts Debian's turnserver for a {@link CoturnServer}: the command line, the certificate, the
 * ports, and the wait until it answers, with another try on other ports if one was taken meanwhile.
 */
final class CoturnLauncher {
  static final String LOG = "turnserver.log";
  private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;

  /** coturn keeps running when a listener cannot bind, retrying forever; this is how it says so. */
  private static final Pattern PORT_CLASH = Pattern.compile("Cannot bind .*listener");

  private CoturnLauncher() {}

  static CoturnServer start(CoturnOptions options) {
    if (!Files.isExecutable(TURNSERVER)) {
      throw new IllegalStateException(
          TURNSERVER + " is missing: install Debian's package `coturn` (apt-get install coturn)");
    }
    Instant started = Instant.now();
    Path directory = Processes.createDirectory("parley-coturn-");
    try {
      if (options.tls()) {
        SelfSignedCertificate.create(directory, options.listeningIp());
      }
      List<String> failures = new ArrayList<>();
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        CoturnPorts ports = CoturnPorts.choose(options);
        Process process = launch(options, directory, ports);
        if (awaitReady(process, options, directory, ports)) {
          CoturnServer server =
              new CoturnServer(
                  options,
                  directory,
                  process,
                  Processes.fromPidFile(directory.resolve("turnserver.pid"), process),
                  ports.listening(),
                  ports.tls());
          System.getLogger(CoturnServer.class.getName())
              .log(
                  System.Logger.Level.INFO,
                  "Started coturn on {0}:{1,number,#} (pid {2,number,#}) in {3,number,#} ms",
                  options.listeningIp(),
                  ports.listening(),
                  server.pid(),
                  Duration.between(started, Instant.now()).toMillis());
          return server;
        }
        failures.add(
            "attempt " + attempt + " on " + ports + ":\n" + Processes.tail(log(directory), 30));
      }
      throw new IllegalStateException(
          "coturn could not bind its ports; its log:\n" + String.join("\n", failures));
    } catch (RuntimeException e) {
      Processes.deleteRecursively(directory);
      throw e;
    }
  }

  private static Process launch(CoturnOptions options, Path directory, CoturnPorts ports) {
    List<String> command = new ArrayList<>(options.commandPrefix());
    command.addAll(
        List.of(
            TURNSERVER.toString(),
            // The given configuration file, or none: /etc/turnserver.conf is the machine's.
            options.configFile().isPresent() ? "-c" : "-n",
            options.configFile().map(Path::toString).orElse("--verbose"),
            "--verbose", // the "listener opened" lines that tell it is ready
            "--listening-ip=" + options.listeningIp(),
            "--listening-port=" + ports.listening(),
            "--relay-ip=" + options.relayIp(),
            "--min-port=" + ports.relayMin(),
            "--max-port=" + ports.relayMax(),
            "--use-auth-secret",
            "--static-auth-secret=" + options.secret(),
            "--realm=" + options.realm(),
            "--no-cli",
            "--no-dtls",
            "--log-file=stdout",
            "--simple-log",
            "--pidfile=" + directory.resolve("turnserver.pid"),
            // Its own database, so that it never writes /var/lib/turn.
            "--userdb=" + directory.resolve("turndb"),
            // Tests relay between peers on this machine; nothing may go to multicast.
            "--allow-loopback-peers",
            "--no-multicast-peers"));
    options.externalIp().ifPresent(ip -> command.add("--external-ip=" + ip));
    options.deniedPeers().forEach(range -> command.add("--denied-peer-ip=" + range));
    if (options.userQuota() > 0) {
      command.add("--user-quota=" + options.userQuota());
    }
    if (ports.tls().isPresent()) {
      command.add("--tls-listening-port=" + ports.tls().getAsInt());
      command.add("--cert=" + directory.resolve(SelfSignedCertificate.CERTIFICATE));
      command.add("--pkey=" + directory.resolve(SelfSignedCertificate.KEY));
    } else {
      command.add("--no-tls");
    }
    try {
      return new ProcessBuilder(command)
          .directory(directory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log(directory).toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    }
  }

  /**
   * Waits until every listener is open and, when reachable from here, a Binding is answered: true
   * then, false on a port clash (the process is stopped), an exception on anything else.
   */
  private static boolean awaitReady(
      Process process, CoturnOptions options, Path directory, CoturnPorts ports) {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    String ip = options.listeningIp();
    List<String> listeners = new ArrayList<>();
    listeners.add("UDP listener opened on: " + ip + ":" + ports.listening());
    listeners.add("listener opened on : " + ip + ":" + ports.listening());
    ports.tls().ifPresent(tls -> listeners.add("listener opened on : " + ip + ":" + tls));
    boolean reachable = options.commandPrefix().isEmpty();
    try {
      while (true) {
        String text = Processes.read(log(directory));
        if (PORT_CLASH.matcher(text).find()) {
          Processes.stop(process.toHandle(), Duration.ofSeconds(5));
          return false;
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "coturn exited with status "
                  + process.exitValue()
                  + "; its log:\n"
                  + Processes.tail(log(directory), 40));
        }
        if (listeners.stream().allMatch(text::contains)
            && (!reachable
                || StunPing.answers(
                    new InetSocketAddress(InetAddress.getByName(ip), ports.listening())))) {
          return true;
        }
        if (Instant.now().isAfter(deadline)) {
          Processes.stop(process.toHandle(), Duration.ofSeconds(5));
          throw new IllegalStateException(
              "coturn did not answer within "
                  + STARTUP_TIMEOUT.toSeconds()
                  + " s; its log:\n"
                  + Processes.tail(log(directory), 40));
        }
        // Not a fixed sleep: returns at once if the server exits.
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Processes.stop(process.toHandle(), Duration.ofSeconds(5));
      throw new IllegalStateException("interrupted while coturn was starting", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path log(Path directory) {
    return directory.resolve(LOG);
  }
}
