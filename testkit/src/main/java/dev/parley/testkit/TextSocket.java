package dev.parley.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client for tests on the JDK's client: whole text messages in (to a queue, or to a
 * consumer), text and binary out, and the close code the server sent. Every wait is bounded by
 * {@link TestClient#TIMEOUT}.
 */
public final class TextSocket implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final Consumer<String> onText;
  private @Nullable WebSocket socket;

  private TextSocket(@Nullable Consumer<String> onText) {
    this.onText = onText == null ? inbox::add : onText;
  }

  /** Connects; received messages wait in a queue for {@link #next()}. */
  public static TextSocket open(URI uri) {
    return open(uri, null);
  }

  /** Connects; every received message goes to {@code onText}, on the client's thread. */
  public static TextSocket open(URI uri, @Nullable Consumer<String> onText) {
    TextSocket client = new TextSocket(onText);
    client.socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(TestClient.TIMEOUT)
            .buildAsync(uri, client.new Listener())
            .orTimeout(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .join();
    return client;
  }

  public void send(String text) {
    socket()
        .sendText(text, true)
        .orTimeout(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  public void sendBinary(byte[] bytes) {
    socket()
        .sendBinary(ByteBuffer.wrap(bytes), true)
        .orTimeout(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  /** The next message from the queue, waiting up to the timeout. */
  public String next() {
    try {
      String text = inbox.poll(TestClient.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      if (text == null) {
        return fail("no message from the server within %s", TestClient.TIMEOUT);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A message already received and not yet taken, without waiting. */
  public @Nullable String poll() {
    return inbox.poll();
  }

  /** Waits for the server to close the connection and returns the close code (-1 on an error). */
  public int awaitClose() {
    return closed.orTimeout(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Drops the TCP connection without a close handshake, as a crashed client would. */
  public void abort() {
    socket().abort();
  }

  @Override
  public void close() {
    WebSocket ws = socket();
    if (!ws.isOutputClosed() && !closed.isDone()) {
      var unused = ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"); // abort() follows at once
    }
    ws.abort();
  }

  private WebSocket socket() {
    return Objects.requireNonNull(socket, "not connected");
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        onText.accept(text);
      }
      ws.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }
  }
}
