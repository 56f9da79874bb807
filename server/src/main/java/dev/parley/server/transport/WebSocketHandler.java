package dev.parley.server.transport;

import dev.parley.server.session.Endpoint;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last stage of a WebSocket pipeline: whole frames in, calls on the protocol endpoint out. */
final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketHandler.class);

  private final Endpoint session;

  WebSocketHandler(Endpoint session) {
    this.session = session;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame text -> session.onText(ByteBufUtil.getBytes(text.content()));
      case BinaryWebSocketFrame binary -> session.onBinary();
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case PongWebSocketFrame pong -> {
        // Reading it was the point: the heartbeat counts any frame as a sign of life.
      }
      case CloseWebSocketFrame close ->
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
              .addListener(ChannelFutureListener.CLOSE);
      default -> ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    session.onClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException
        || (cause instanceof CorruptedWebSocketFrameException corrupted
            && corrupted.closeStatus().equals(WebSocketCloseStatus.MESSAGE_TOO_BIG))) {
      session.onFrameTooLarge();
    } else if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      ctx.writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus()))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      log.debug("Closing a WebSocket after an I/O error: {}", cause.toString());
      ctx.close();
    }
  }
}
