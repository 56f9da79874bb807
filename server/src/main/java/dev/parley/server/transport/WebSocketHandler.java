package dev.parley.server.transport;

import dev.parley.protocol.Utf8;
import dev.parley.server.connection.Endpoint;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a WebSocket pipeline: whole frames in, calls on the protocol endpoint out. It
 * also keeps the connection's heartbeat: any frame read is a sign of life; after each interval
 * without one ({@link Heartbeats} asks) the client is pinged, where its protocol wants pings
 * (browsers and the JDK answer them by themselves), and after {@code misses} such intervals in a
 * row the connection is closed, and the client announced as left.
 */
// Netty's futures of writes and closes are not awaited here: a write that fails fails its channel,
// whose close the pipeline sees (channelInactive), and a close cannot fail in a way we could act
// on.
@SuppressWarnings("FutureReturnValueIgnored")
final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketHandler.class);

  private final Endpoint session;
  private final Heartbeats heartbeats;
  private @Nullable ChannelHandlerContext context;
  private boolean heard = true;
  private int silent;

  WebSocketHandler(Endpoint session, Heartbeats heartbeats) {
    this.session = session;
    this.heartbeats = heartbeats;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
    if (ctx.channel().isActive()) {
      heartbeats.watch(this);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    heartbeats.forget(this);
  }

  /** Called once per heartbeat interval, on the connection's event loop, with its policy. */
  void checkLife(int misses, boolean ping) {
    ChannelHandlerContext ctx = context;
    if (ctx == null) {
      return;
    }
    if (heard) {
      heard = false;
      silent = 0;
      return;
    }
    silent++;
    if (silent >= misses) {
      log.info("Closing {}: no sign of life in {} checks", ctx.channel().remoteAddress(), silent);
      ctx.close();
    } else if (ping) {
      ctx.writeAndFlush(new PingWebSocketFrame());
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    heard = true;
    switch (frame) {
      case TextWebSocketFrame text -> {
        byte[] bytes = ByteBufUtil.getBytes(text.content());
        if (Utf8.firstMalformed(bytes) >= 0) {
          // Text is handed on as its bytes, and a relay forwards them: bytes that are not UTF-8
          // must not reach, and break, another client's WebSocket. RFC 6455 closes with 1007.
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA))
              .addListener(ChannelFutureListener.CLOSE);
          return;
        }
        session.onText(bytes);
      }
      case BinaryWebSocketFrame binary -> session.onBinary();
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case PongWebSocketFrame pong -> {
        // Reading it was the point: any frame is a sign of life.
      }
      case CloseWebSocketFrame close ->
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
              .addListener(ChannelFutureListener.CLOSE);
      default -> ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    heartbeats.forget(this);
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
