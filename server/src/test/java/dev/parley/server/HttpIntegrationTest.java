package dev.parley.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.TestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HttpIntegrationTest {
  @TempDir Path data;
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void healthReportsOkWithFigures() {
    TestClient alice = server.login("alice"); // online while /health is read
    try {
      HttpResponse<String> health = server.get("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(health.body()).contains("\"status\":\"ok\"", "\"online\":1", "\"users\":1");
    } finally {
      alice.close();
    }
  }

  @Test
  void metricsCountConnectionsLoginsSignalsAndErrorsByCode() {
    try (TestClient alice = server.login("alice")) {
      alice.send("{\"type\":\"nonsense\"}");
      alice.awaitError(dev.parley.protocol.ErrorCode.UNKNOWN_TYPE);

      HttpResponse<String> metrics = server.get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type").orElseThrow())
          .startsWith("text/plain; version=0.0.4");
      assertThat(metrics.body())
          .contains("parley_connections 1\n")
          .contains("parley_online_users 1\n")
          .contains("parley_logins_total{result=\"ok\"} 1\n")
          .contains("parley_errors_total{code=\"unknown_type\"} 1\n")
          .contains("parley_signals_relayed_total{kind=\"offer\"} 0\n");
    }
  }

  @Test
  void aUsersPublicKeyCanBeLookedUp() {
    server.login("Alice").close();

    HttpResponse<String> found = server.get("/api/users/alice");
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.body())
        .contains("\"name\":\"Alice\"")
        .contains("\"publicKey\":\"" + server.identity("alice").publicKey().encoded() + "\"");

    HttpResponse<String> missing = server.get("/api/users/nobody");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("unknown_user");

    HttpResponse<String> malformed = server.get("/api/users/no%20body");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("invalid_name");
  }

  @Test
  void theWebClientIsServedWithAStrictContentSecurityPolicy() {
    HttpResponse<String> page = server.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    String host = "127.0.0.1:" + server.port();
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("default-src 'self'", "script-src 'self';", "object-src 'none'")
        .contains("connect-src 'self' ws://" + host + " wss://" + host + ";")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/js/main.js\">");
    assertThat(server.get("/app.css").statusCode()).isEqualTo(200);
    HttpResponse<String> script = server.get("/js/main.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(server.get("/about.html").body()).contains("/api/users/NAME", "/peerjs");
  }

  @Test
  void staticFilesAreRevalidatedWithAnEtagAndAnswered304WhileUnchanged() {
    HttpResponse<String> first = server.get("/js/main.js");
    String etag = first.headers().firstValue("etag").orElseThrow();
    assertThat(first.headers().firstValue("cache-control")).hasValue("no-cache");

    HttpResponse<String> again =
        server.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/js/main.js"))
                .header("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    HttpResponse<String> stale =
        server.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/js/main.js"))
                .header("If-None-Match", "\"something-else\""));
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo(first.body());
  }

  @Test
  void unknownPathsDirectoriesAndTraversalAttemptsAreNotFound() {
    assertThat(server.get("/nope.html").statusCode()).isEqualTo(404);
    assertThat(server.get("/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
    assertThat(server.get("/static/../index.html").statusCode()).isEqualTo(404);
    assertThat(server.get("/.hidden.txt").statusCode()).isEqualTo(404);
    assertThat(server.get("/js").statusCode()).isEqualTo(404); // a directory
  }

  @Test
  void aTargetThatCannotBeDecodedIsABadRequestAndOneWithoutAPathNotFound() throws IOException {
    assertThat(statusLine("/%zz")).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(statusLine("/peerjs?id=%")).isEqualTo("HTTP/1.1 400 Bad Request");
    assertThat(statusLine("?x")).isEqualTo("HTTP/1.1 404 Not Found");
  }

  /** The status line of a GET of {@code target}, sent as it is: no client would send these. */
  private String statusLine(String target) throws IOException {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(US_ASCII));
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII))
          .readLine();
    }
  }

  @Test
  void onlyGetAndHeadAreAllowed() {
    HttpResponse<String> post =
        server.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void aWebSocketUpgradeOnAnotherPathIsNotAccepted() {
    HttpResponse<String> response = server.get("/not-ws");
    assertThat(response.statusCode()).isEqualTo(404);
  }
}
