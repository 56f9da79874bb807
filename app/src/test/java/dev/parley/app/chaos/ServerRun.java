package dev.parley.app.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code parley server} as a process of its own on a loopback port, with its data directory: killed
 * with SIGKILL and started again on the same port and data, as after a crash.
 */
final class ServerRun implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Path logs;
  private final Path data;
  private final int port;
  private final List<String> options;
  private @Nullable ParleyRun running;

  private ServerRun(Path logs, Path data, int port, List<String> options) {
    this.logs = logs;
    this.data = data;
    this.port = port;
    this.options = options;
  }

  /**
   * Starts a server on a free loopback port with {@code data} as its data directory, and {@code
   * options} of {@code parley server} besides.
   */
  static ServerRun start(Path logs, Path data, String... options) {
    ServerRun server = new ServerRun(logs, data, freePort(), List.of(options));
    server.restart();
    return server;
  }

  /** Starts it (again), on its port and data directory; returns once {@code /health} says ok. */
  void restart() {
    if (running != null && running.isAlive()) {
      throw new IllegalStateException("the server runs already");
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--stun-port",
                "off"));
    args.addAll(options);
    ParleyRun started = ParleyRun.start(logs, "server", args);
    running = started;
    await("the server answers /health")
        .atMost(READY)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!started.isAlive()) {
                throw new AssertionError("the server ended: " + started.out() + started.err());
              }
              return healthy();
            });
  }

  /** SIGKILL: the server ends at once, telling nobody; its database is left as it was. */
  void kill() {
    if (running != null) {
      running.kill();
    }
  }

  /** SIGTERM: the server stops as a service manager stops it, closing its database. */
  void stop() {
    if (running != null) {
      running.terminate();
    }
  }

  /** What the server has logged in its current run. */
  String log() {
    ParleyRun current = running;
    return current == null ? "" : current.out() + current.err();
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** The data directory. */
  Path data() {
    return data;
  }

  /** Where a WebSocket client connects. */
  URI webSocket() {
    return URI.create("ws://" + address() + "/ws");
  }

  /** What {@code /health} answers, empty if it does not. */
  String health() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + address() + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The directory database, {@code parley.db} in the data directory. */
  Path database() {
    return data.resolve("parley.db");
  }

  @Override
  public void close() {
    if (running != null) {
      running.close();
    }
  }

  private boolean healthy() {
    return health().contains("\"status\":\"ok\"");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
