package dev.parley.server.transport;

import dev.parley.protocol.Utf8;
import dev.parley.server.connection.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
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
 *
 * <p>A message sent in fragments is joined here, up to the message limit, and handed on whole: no
 * aggregating handler of its own sits in every connection's pipeline for the rare client that
 * fragments (one handler and its context less on each idle connection, docs/benchmarks.md).
 */
// Netty's futures of writes and closes are not awaited here: a write that fails fails its channel,
// whose close the pipeline sees (channelInactive), and a close cannot fail in a way we could act
// on.
@SuppressWarnings("FutureReturnValueIgnored")
final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketHandler.class);

  /** {@link #joining}: no message in fragments under way. */
  private static final byte WHOLE = 0;

  /** {@link #joining}: the fragments of a text message are being joined. */
  private static final byte TEXT = 1;

  /** {@link #joining}: the fragments of a binary message are being joined. */
  private static final byte BINARY = 2;

  /** {@link #joining}: a message grew past the limit; its remaining fragments are dropped. */
  private static final byte DROPPING = 3;

  /** {@link #joining}: a close frame is sent; frames still arriving are ignored. */
  private static final byte CLOSING = 4;

  private final Endpoint session;
  private final Heartbeats heartbeats;
  private final int maxMessageBytes;
  private @Nullable ChannelHandlerContext context;
  private boolean heard = true;
  private byte joining = WHOLE;
  private int silent;

  /** The fragments received so far of the message being joined, or null. */
  private @Nullable ByteBuf fragments;

  WebSocketHandler(Endpoint session, Heartbeats heartbeats, int maxMessageBytes) {
    this.session = session;
    this.heartbeats = heartbeats;
    this.maxMessageBytes = maxMessageBytes;
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
    dropFragments();
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
    if (joining == CLOSING) {
      return;
    }
    boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
    if (data && joining != WHOLE) {
      // RFC 6455 5.4: a new message may not begin before the fragmented one is finished.
      closeWith(ctx, WebSocketCloseStatus.PROTOCOL_ERROR);
      return;
    }
    if (frame instanceof ContinuationWebSocketFrame || (data && !frame.isFinalFragment())) {
      join(ctx, frame);
      return;
    }
    switch (frame) {
      case TextWebSocketFrame text -> onText(ctx, ByteBufUtil.getBytes(text.content()));
      case BinaryWebSocketFrame binary -> session.onBinary();
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case PongWebSocketFrame pong -> {
        // Reading it was the point: any frame is a sign of life.
      }
      case CloseWebSocketFrame close -> closeWith(ctx, WebSocketCloseStatus.NORMAL_CLOSURE);
      default -> ctx.close();
    }
  }

  private void onText(ChannelHandlerContext ctx, byte[] bytes) {
    if (Utf8.firstMalformed(bytes) >= 0) {
      // Text is handed on as its bytes, and a relay forwards them: bytes that are not UTF-8 must
      // not reach, and break, another client's WebSocket. RFC 6455 closes with 1007.
      closeWith(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
      return;
    }
    session.onText(bytes);
  }

  /**
   * Adds one fragment of a message (its first, a middle one or its last) to those received; the
   * last hands the whole message on. Control frames between fragments are handled as they come.
   */
  private void join(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof ContinuationWebSocketFrame) {
      if (joining == WHOLE) {
        closeWith(ctx, WebSocketCloseStatus.PROTOCOL_ERROR); // a continuation of no message
        return;
      }
    } else {
      joining = frame instanceof TextWebSocketFrame ? TEXT : BINARY;
    }
    if (joining != DROPPING) {
      ByteBuf content = frame.content();
      ByteBuf joined = fragments;
      int size = (joined == null ? 0 : joined.readableBytes()) + content.readableBytes();
      if (size > maxMessageBytes) {
        dropFragments();
        joining = DROPPING;
        session.onFrameTooLarge();
      } else {
        if (joined == null) {
          joined = ctx.alloc().heapBuffer(size);
          fragments = joined;
        }
        joined.writeBytes(content);
      }
    }
    if (!frame.isFinalFragment()) {
      return;
    }
    byte kind = joining;
    ByteBuf whole = fragments;
    fragments = null;
    joining = WHOLE;
    if (whole == null) {
      return; // dropped: the endpoint was told the message is too large
    }
    try {
      if (kind == TEXT) {
        onText(ctx, ByteBufUtil.getBytes(whole));
      } else {
        session.onBinary();
      }
    } finally {
      whole.release();
    }
  }

  private void dropFragments() {
    ByteBuf joined = fragments;
    fragments = null;
    if (joined != null) {
      joined.release();
    }
  }

  /**
   * Sends a close frame with {@code status} and closes once it is written. Frames already read
   * behind the one that decided it are not handed on: the connection is over.
   */
  private void closeWith(ChannelHandlerContext ctx, WebSocketCloseStatus status) {
    dropFragments();
    joining = CLOSING;
    ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    heartbeats.forget(this);
    dropFragments();
    session.onClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException
        || (cause instanceof CorruptedWebSocketFrameException corrupted
            && corrupted.closeStatus().equals(WebSocketCloseStatus.MESSAGE_TOO_BIG))) {
      session.onFrameTooLarge();
    } else if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      closeWith(ctx, corrupted.closeStatus());
    } else {
      log.debug("Closing a WebSocket after an I/O error: {}", cause.toString());
      ctx.close();
    }
  }
}
