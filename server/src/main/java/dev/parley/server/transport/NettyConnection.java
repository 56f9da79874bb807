package dev.parley.server.transport;

import dev.parley.server.session.Connection;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket channel as a {@link Connection}. A client that stops reading is cut off once its
 * unsent frames pass the channel's high water mark, so one slow reader cannot eat the server's
 * memory.
 */
final class NettyConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  private final Channel channel;
  private final String remoteAddress;

  NettyConnection(Channel channel) {
    this.channel = channel;
    this.remoteAddress =
        channel.remoteAddress() instanceof InetSocketAddress address
            ? address.getAddress().getHostAddress()
            : String.valueOf(channel.remoteAddress());
  }

  @Override
  public void send(byte[] frame) {
    if (!channel.isWritable() && channel.isActive()) {
      log.warn("Closing {}: it does not read what it is sent", remoteAddress);
      channel.close();
      return;
    }
    channel.writeAndFlush(
        new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), channel.voidPromise());
  }

  @Override
  public void close(int code, String reason) {
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }
}
