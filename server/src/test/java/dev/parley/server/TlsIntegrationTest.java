package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.tls.TlsSettings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS and WSS on the one port, checked with the JDK's own TLS client trusting the certificate.
 */
@Timeout(60)
class TlsIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path data;

  @Test
  void aSelfSignedServerAnswersHttpsAndWssToAClientThatTrustsItsCertificate() throws Exception {
    try (ParleyServer server = start(data, selfSigned())) {
      Path certificate = data.resolve("tls/self-signed-cert.pem");
      HttpClient client = clientTrusting(certificate);

      HttpResponse<String> health = client.send(get(server, "/health"), ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"ok\"");
      HttpResponse<String> page = client.send(get(server, "/"), ofString());
      assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
          .contains("wss://127.0.0.1:" + server.port());

      assertThat(firstWebSocketMessage(client, server)).contains("\"type\":\"challenge\"");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    try (ParleyServer server = start(data, selfSigned())) {
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(get(server, "/health"), ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void aRestartPresentsTheSameSelfSignedCertificate() throws Exception {
    try (ParleyServer server = start(data, selfSigned())) {
      assertThat(server.secure()).isTrue();
    }
    byte[] first = Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"));
    try (ParleyServer server = start(data, selfSigned())) {
      HttpClient client = clientTrusting(data.resolve("tls/self-signed-cert.pem"));
      assertThat(client.send(get(server, "/health"), ofString()).statusCode()).isEqualTo(200);
    }
    assertThat(Files.readAllBytes(data.resolve("tls/self-signed-cert.pem"))).isEqualTo(first);
  }

  @Test
  void aCertificateAndKeyFromPemFilesAreServed(@TempDir Path keys) throws Exception {
    // The self-signed files are ordinary PEM: a certificate and an unencrypted PKCS#8 key.
    start(keys, selfSigned()).close();
    Path cert = keys.resolve("tls/self-signed-cert.pem");
    Path key = keys.resolve("tls/self-signed-key.pem");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");

    try (ParleyServer server = start(data, new TlsSettings.PemFiles(cert, key))) {
      HttpClient client = clientTrusting(cert);
      assertThat(client.send(get(server, "/health"), ofString()).statusCode()).isEqualTo(200);
      assertThat(firstWebSocketMessage(client, server)).contains("\"type\":\"challenge\"");
    }
    assertThat(data.resolve("tls")).doesNotExist();
  }

  @Test
  void aMissingKeyFileStopsTheServerBeforeItStarts() {
    Path missing = data.resolve("nope.pem");
    assertThatThrownBy(() -> start(data, new TlsSettings.PemFiles(missing, missing)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.pem");
  }

  private static TlsSettings selfSigned() {
    return new TlsSettings.SelfSigned(List.of("localhost", "127.0.0.1"));
  }

  private static ParleyServer start(Path data, TlsSettings tls) {
    return ParleyServer.start(
        ServerConfig.defaults().withPort(0).withDataDirectory(data).withTls(Optional.of(tls)));
  }

  private static HttpRequest get(ParleyServer server, String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
        .timeout(TIMEOUT)
        .build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static String firstWebSocketMessage(HttpClient client, ParleyServer server) {
    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocket socket =
        client
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("wss://127.0.0.1:" + server.port() + "/ws"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    first.complete(data.toString());
                    return null;
                  }
                })
            .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .join();
    try {
      return first.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    } finally {
      socket.abort();
    }
  }

  private static HttpClient clientTrusting(Path certificatePem) throws Exception {
    Certificate certificate;
    try (InputStream in = Files.newInputStream(certificatePem)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("parley", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build();
  }
}
