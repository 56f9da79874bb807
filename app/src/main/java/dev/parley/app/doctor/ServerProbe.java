package dev.parley.app.doctor;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** The server's two front doors: {@code GET /health}, and the WebSocket every client logs in on. */
final class ServerProbe {
  /** A health answer is a few hundred bytes; a page ten times that is not one. */
  private static final int MAX_BODY = 64 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  ServerProbe(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Asks for {@code /health} next to the WebSocket endpoint {@code webSocket}.
   *
   * @throws ServerUnreachableException if no HTTP answer comes at all
   */
  ServerCheck health(URI webSocket) {
    URI url = healthUrl(webSocket);
    HttpRequest request =
        HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").build();
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
      }
      return new ServerCheck(url, response.statusCode(), since(start), Health.parse(body));
    } catch (IOException e) {
      throw new ServerUnreachableException(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(url, new InterruptedIOException("interrupted"));
    }
  }

  /** The health URL of the server whose WebSocket endpoint is {@code webSocket}. */
  static URI healthUrl(URI webSocket) {
    String scheme = webSocket.getScheme().equals("wss") ? "https" : "http";
    String path = webSocket.getRawPath() == null ? "" : webSocket.getRawPath();
    // A server behind a proxy under a prefix (https://host/parley/ws) has /parley/health.
    String base = path.endsWith("/ws") ? path.substring(0, path.length() - "ws".length()) : "/";
    try {
      return new URI(
          scheme, null, webSocket.getHost(), webSocket.getPort(), base + "health", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("no health URL for " + webSocket, e);
    }
  }

  /** Opens the WebSocket and waits for the server's first frame, which must be its challenge. */
  WebSocketCheck webSocket(URI url) {
    CompletableFuture<String> first = new CompletableFuture<>();
    long start = System.nanoTime();
    WebSocket socket = null;
    try {
      socket =
          http.newWebSocketBuilder()
              .connectTimeout(timeout)
              .buildAsync(url, new FirstText(first))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long left = timeout.toMillis() - since(start).toMillis();
      String text = first.get(Math.max(1, left), TimeUnit.MILLISECONDS);
      return switch (ServerCodec.decode(text)) {
        case ServerMessage.Challenge c -> new WebSocketCheck.Answered(url, since(start));
        case ServerMessage.Error e ->
            new WebSocketCheck.Failed(
                url,
                "the server refused the connection: " + e.code().wireName() + ": " + e.message());
        default -> new WebSocketCheck.Failed(url, "the server's first frame is not a challenge");
      };
    } catch (ExecutionException e) {
      return new WebSocketCheck.Failed(url, why(e.getCause()));
    } catch (TimeoutException e) {
      return new WebSocketCheck.Failed(url, "no login challenge within " + Addresses.text(timeout));
    } catch (ProtocolException e) {
      return new WebSocketCheck.Failed(
          url, "what came back is not Parley's protocol (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new WebSocketCheck.Failed(url, "interrupted");
    } finally {
      if (socket != null) {
        socket.abort();
      }
    }
  }

  private String why(@Nullable Throwable cause) {
    if (cause instanceof WebSocketHandshakeException handshake) {
      return "the server answered HTTP "
          + handshake.getResponse().statusCode()
          + " instead of opening a WebSocket (a proxy in front of it that does not pass WebSockets"
          + " on?)";
    }
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + Addresses.text(timeout);
    }
    Throwable root = cause;
    while (root != null && root.getCause() != null) {
      root = root.getCause();
    }
    return root == null ? "it failed" : String.valueOf(root.getMessage());
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Collects the first text message, in however many parts it comes. */
  private static final class FirstText implements WebSocket.Listener {
    private final CompletableFuture<String> first;
    private final StringBuilder text = new StringBuilder();

    FirstText(CompletableFuture<String> first) {
      this.first = first;
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        first.complete(text.toString());
      }
      socket.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      first.completeExceptionally(
          new IOException("the server closed the WebSocket (" + code + " " + reason + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      first.completeExceptionally(error);
    }
  }
}
