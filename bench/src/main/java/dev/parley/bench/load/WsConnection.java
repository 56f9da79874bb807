package dev.parley.bench.load;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** One open WebSocket of the load generator. */
public final class WsConnection {
  private final Channel channel;

  WsConnection(Channel channel) {
    this.channel = channel;
  }

  public void send(String text) {
    channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  public void close() {
    channel.close();
  }
}
