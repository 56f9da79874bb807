package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Debian's HAProxy in front of several Parley nodes on loopback: HTTP and WebSocket, round robin,
 * no sticky sessions, each node checked through {@code /health} every second and taken out after
 * two failures; a connection that a dead node refuses is sent to another; each connection begins
 * with a PROXY protocol header naming its client. The configuration is the one docs/operations.md
 * shows, with loopback addresses.
 */
public final class HaproxyServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/haproxy");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final Path directory;
  private final int port;
  private final Process process;

  private HaproxyServer(Path directory, int port, Process process) {
    this.directory = directory;
    this.port = port;
    this.process = process;
  }

  /** Starts HAProxy on a free port of 127.0.0.1 in front of the nodes on {@code ports}. */
  public static HaproxyServer start(List<Integer> ports) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's haproxy package (scripts/test does)");
    }
    Path directory = Processes.createDirectory("parley-haproxy-");
    int port = Processes.freePort();
    Path config = directory.resolve("haproxy.cfg");
    Path log = directory.resolve("haproxy.log");
    try {
      Files.writeString(config, configuration(port, ports), StandardCharsets.UTF_8);
      Process process =
          new ProcessBuilder(BINARY.toString(), "-f", config.toString(), "-db")
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
      while (!listening(port)) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              "HAProxy did not start on port " + port + "; its output:\n" + Processes.read(log));
        }
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling a condition, bounded
      }
      return new HaproxyServer(directory, port, process);
    } catch (IOException e) {
      Processes.deleteRecursively(directory);
      throw new UncheckedIOException("cannot start HAProxy", e);
    }
  }

  /** The configuration: what docs/operations.md shows, on loopback. */
  static String configuration(int port, List<Integer> nodes) {
    StringBuilder config =
        new StringBuilder(
            """
            global
              maxconn 4000

            defaults
              mode http
              timeout connect 2s
              timeout client 60s
              timeout server 60s
              # A WebSocket is a tunnel once upgraded: the server's own heartbeat keeps it alive.
              timeout tunnel 1h
              # A node that refuses a new connection (it just died) is tried no more: another is.
              retries 2
              option redispatch 1

            frontend parley
              bind 127.0.0.1:%d
              default_backend nodes

            backend nodes
              balance roundrobin
              option httpchk GET /health
              http-check expect status 200
              default-server inter 1s fall 2 rise 1
            """
                .formatted(port));
    for (int i = 0; i < nodes.size(); i++) {
      // Each connection begins with a PROXY header naming the client (nodes trust 127.0.0.1).
      config.append(
          "  server n%d 127.0.0.1:%d check send-proxy-v2 check-send-proxy%n"
              .formatted(i + 1, nodes.get(i)));
    }
    return config.toString();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    Processes.stop(process.toHandle(), Duration.ofSeconds(5));
    Processes.deleteRecursively(directory);
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
