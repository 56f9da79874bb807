package dev.parley.server.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds dead connections: after each {@code interval} in which the client sent nothing, the server
 * pings it (browsers and the JDK answer pings by themselves); after {@code misses} such silent
 * intervals in a row the connection is closed, and the client is announced as left. Sits behind an
 * {@link io.netty.handler.timeout.IdleStateHandler} that fires reader-idle events every interval.
 */
final class Heartbeat extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final int misses;
  private int silent;

  Heartbeat(int misses) {
    this.misses = misses;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    silent = 0;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    silent++;
    if (silent >= misses) {
      log.info(
          "Closing {}: no sign of life after {} pings", ctx.channel().remoteAddress(), silent - 1);
      ctx.close();
    } else {
      ctx.writeAndFlush(new PingWebSocketFrame());
    }
  }
}
