package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.transport.SocketLimits;
import dev.parley.server.transport.TrustedProxies;
import dev.parley.testkit.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every TCP connection is accounted for: one that sends no request, a slow one, an idle keep-alive
 * one are closed after their timeouts, and one past the per-address cap at once, while others are
 * served; a WebSocket session is not held to HTTP's timeouts.
 */
class SocketLimitsIntegrationTest {
  private static final Duration SHORT = Duration.ofMillis(400);
  private static final int CAP = 4;

  @TempDir Path dir;
  private TestServer server;
  private final List<Socket> sockets = new ArrayList<>();

  private TestServer start() {
    server =
        TestServer.start(
            dir, config -> config.toBuilder().sockets(new SocketLimits(CAP, SHORT, SHORT)).build());
    return server;
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Socket open(String from) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Reads until the server closes the connection; what it sent before, as text. */
  private static String readToClose(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static String get(Socket socket, String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] buffer = new byte[8192];
    int read = socket.getInputStream().read(buffer);
    return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
  }

  /** The server's figures, read on a connection of their own that the server then closes. */
  private long timeouts() throws IOException {
    Socket socket = open("127.0.0.3");
    socket
        .getOutputStream()
        .write(
            "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    String metrics = readToClose(socket);
    return metrics
        .lines()
        .filter(line -> line.startsWith("parley_http_timeouts_total "))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheRequestTimeout() throws IOException {
    start();
    long opened = System.nanoTime();
    Socket socket = open("127.0.0.1");

    assertThat(readToClose(socket)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(SHORT);
  }

  @Test
  void aRequestHeadSentByteByByteIsClosedUnanswered() throws Exception {
    start();
    Socket socket = open("127.0.0.1");
    OutputStream out = socket.getOutputStream();
    out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
    // The attack: one byte every 20 ms, never the blank line that ends the head.
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger sent = new AtomicInteger();
    var unused =
        trickle.scheduleAtFixedRate(
            () -> {
              try {
                if (sent.incrementAndGet() <= 200) {
                  out.write('x');
                  out.flush();
                }
              } catch (IOException e) {
                trickle.shutdown(); // closed by the server: what the test waits for
              }
            },
            0,
            20,
            TimeUnit.MILLISECONDS);
    try {
      assertThat(readToClose(socket)).isEmpty();
    } finally {
      trickle.shutdownNow();
    }
  }

  @Test
  void aBodyThatNeverEndsIsClosed() throws IOException {
    start();
    Socket socket = open("127.0.0.1");
    socket
        .getOutputStream()
        .write(
            "POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly ten.."
                .getBytes(StandardCharsets.US_ASCII));

    assertThat(readToClose(socket)).isEmpty();
  }

  @Test
  void aKeepAliveConnectionIsServedThenClosedWhenIdle() throws IOException {
    start();
    Socket socket = open("127.0.0.1");

    assertThat(get(socket, "/health")).startsWith("HTTP/1.1 200");
    assertThat(get(socket, "/health")).startsWith("HTTP/1.1 200"); // within the idle timeout

    assertThat(readToClose(socket)).isEmpty();
    assertThat(timeouts()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aConnectionPastTheCapOfItsAddressIsClosedAtOnceWhileOthersAreServed() throws IOException {
    server =
        TestServer.start(
            dir,
            config ->
                config.toBuilder()
                    .sockets(new SocketLimits(CAP, Duration.ofSeconds(30), Duration.ofSeconds(30)))
                    .build());
    for (int i = 0; i < CAP; i++) {
      open("127.0.0.1");
    }
    Socket over = open("127.0.0.1");
    assertThat(readToClose(over)).isEmpty();

    Socket elsewhere = open("127.0.0.2");
    assertThat(get(elsewhere, "/health")).startsWith("HTTP/1.1 200");

    sockets.get(0).close();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(get(open("127.0.0.1"), "/health")).startsWith("HTTP/1.1 200"));
  }

  @Test
  void aWebSocketSessionOutlivesTheHttpTimeouts() {
    start();
    try (TestClient alice = server.login("alice")) {
      await()
          .during(SHORT.multipliedBy(3))
          .atMost(SHORT.multipliedBy(6))
          .until(() -> !alice.isClosed());
    }
  }

  /** A server that trusts the balancer at 127.0.0.5 to name its clients. */
  private void startBehindProxy() {
    server =
        TestServer.start(
            dir,
            config ->
                config.toBuilder()
                    .sockets(
                        new SocketLimits(
                            CAP,
                            Duration.ofSeconds(30), // no timeout frees a slot meanwhile
                            Duration.ofSeconds(30),
                            new TrustedProxies(List.of("127.0.0.5/32"))))
                    .build());
  }

  private Socket viaProxy(String client) throws IOException {
    Socket socket = open("127.0.0.5");
    socket
        .getOutputStream()
        .write(
            ("PROXY TCP4 " + client + " 127.0.0.1 40000 " + server.port() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  @Test
  void aTrustedProxysClientsAreCountedEachUnderItsOwnAddress() throws IOException {
    startBehindProxy();
    for (int i = 0; i < CAP; i++) {
      assertThat(get(viaProxy("203.0.113.7"), "/health")).startsWith("HTTP/1.1 200"); // kept open
    }

    // The same client once more is over its cap; another client through the same proxy is not.
    assertThat(readToClose(viaProxy("203.0.113.7"))).isEmpty();
    assertThat(get(viaProxy("198.51.100.9"), "/health")).startsWith("HTTP/1.1 200");
    // The proxy's host itself, without a header, is a client of its own.
    assertThat(get(open("127.0.0.5"), "/health")).startsWith("HTTP/1.1 200");
  }

  @Test
  void aProxyHeaderFromAnUntrustedAddressIsNotBelieved() throws IOException {
    startBehindProxy();
    Socket socket = open("127.0.0.6");
    socket
        .getOutputStream()
        .write(
            ("PROXY TCP4 203.0.113.7 127.0.0.1 40000 "
                    + server.port()
                    + "\r\nGET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

    assertThat(readToClose(socket)).doesNotContain("HTTP/1.1 200");
  }
}
