package dev.parley.client.server;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK WebSocket listener of a {@link ServerConnection}: joins a message's parts, decodes it,
 * hands it on, and reports the end of the connection exactly once.
 */
final class Receiver implements WebSocket.Listener {
  /** Close code for a connection that broke without a close frame (RFC 6455 section 7.4.1). */
  static final int ABNORMAL_CLOSURE = 1006;

  private static final Logger log = LoggerFactory.getLogger(Receiver.class);

  interface ClosedHandler {
    void closed(int code, String reason);
  }

  private final Consumer<ServerMessage> onMessage;
  private final ClosedHandler onClosed;
  private final StringBuilder partial = new StringBuilder();
  private final AtomicBoolean ended = new AtomicBoolean();

  Receiver(Consumer<ServerMessage> onMessage, ClosedHandler onClosed) {
    this.onMessage = onMessage;
    this.onClosed = onClosed;
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      decodeAndHandle(text);
    }
    ws.request(1);
    return null;
  }

  private void decodeAndHandle(String text) {
    ServerMessage message;
    try {
      message = ServerCodec.decode(text);
    } catch (ProtocolException e) {
      log.warn("ignoring a frame the server sent that we cannot read: {}", e.getMessage());
      return;
    }
    onMessage.accept(message);
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
    end(code, reason);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    end(ABNORMAL_CLOSURE, String.valueOf(error.getMessage()));
  }

  private void end(int code, String reason) {
    if (ended.compareAndSet(false, true)) {
      onClosed.closed(code, reason);
    }
  }
}
