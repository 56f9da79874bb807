package dev.parley.client.server;

import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends text messages one after another without blocking the caller: the JDK WebSocket refuses a
 * send while the previous one is still in flight, so each send is chained after the last.
 */
final class SocketSender {
  private static final Logger log = LoggerFactory.getLogger(SocketSender.class);

  private @Nullable WebSocket socket;
  private CompletableFuture<?> last = CompletableFuture.completedFuture(null);
  private final List<String> early = new ArrayList<>();
  private boolean closed;

  /**
   * Starts sending on {@code ws}. The server's first frame may be handled before the connect call
   * returns the socket, so messages sent before this wait for it.
   */
  synchronized void attach(WebSocket ws) {
    socket = ws;
    List<String> waiting = List.copyOf(early);
    early.clear();
    waiting.forEach(this::send);
  }

  synchronized void send(String text) {
    WebSocket ws = socket;
    if (closed) {
      return;
    }
    if (ws == null) {
      early.add(text);
      return;
    }
    last =
        last.thenCompose(ignored -> ws.sendText(text, true))
            .exceptionally(
                e -> {
                  log.debug("a message to the server was not sent: {}", e.getMessage());
                  return null;
                });
  }

  /** Sends a close frame after everything queued; returns when it is sent (or failed). */
  CompletableFuture<?> close(WebSocket ws) {
    CompletableFuture<?> sent;
    synchronized (this) {
      if (closed) {
        return last;
      }
      closed = true;
      sent =
          last.thenCompose(ignored -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
              .exceptionally(e -> null);
      last = sent;
    }
    return sent;
  }
}
