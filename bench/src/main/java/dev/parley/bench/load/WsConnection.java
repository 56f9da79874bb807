package dev.parley.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One open WebSocket of the load generator. Frames sent from the connection's own event loop (the
 * answers of a closed-loop relay) are flushed once at the end of the loop's turn, not one system
 * call each: at saturation the generator, not the server, was using most of the 2 cores.
 */
// Netty's futures of writes and closes are not awaited here: a write that fails fails its channel,
// whose close the pipeline sees, and a close cannot fail in a way a load generator could act on.
@SuppressWarnings("FutureReturnValueIgnored")
public final class WsConnection {
  private final Channel channel;
  private boolean flushPending; // only touched on the channel's event loop

  WsConnection(Channel channel) {
    this.channel = channel;
  }

  public void send(String text) {
    // The JDK's encoder copies an ASCII string's bytes at once; Netty's, which the String
    // constructor of a frame uses, goes character by character: a fifth of the generator's CPU at
    // saturation.
    TextWebSocketFrame frame =
        new TextWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
    if (!channel.eventLoop().inEventLoop()) {
      channel.writeAndFlush(frame, channel.voidPromise());
      return;
    }
    channel.write(frame, channel.voidPromise());
    if (!flushPending) {
      flushPending = true;
      channel.eventLoop().execute(this::flush);
    }
  }

  /** Runs {@code task} on the connection's event loop. */
  public void onLoop(Runnable task) {
    channel.eventLoop().execute(task);
  }

  private void flush() {
    flushPending = false;
    channel.flush();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  public void close() {
    channel.close();
  }
}
