package dev.parley.server.transport;

import dev.parley.server.http.HttpRoutes;
import dev.parley.server.session.Session;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.session.Sessions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The fork in the pipeline: a WebSocket upgrade at {@code /ws} turns the channel into a protocol
 * session; every other request goes to the HTTP routes.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String WEBSOCKET_PATH = "/ws";

  private final Sessions sessions;
  private final HttpRoutes routes;
  private final SessionLimits limits;

  HttpRouter(Sessions sessions, HttpRoutes routes, SessionLimits limits) {
    this.sessions = sessions;
    this.routes = routes;
    this.limits = limits;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      ctx.writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST))
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals(WEBSOCKET_PATH) && isUpgrade(request)) {
      upgrade(ctx, request);
    } else {
      routes.handle(ctx, request);
    }
  }

  private static boolean isUpgrade(FullHttpRequest request) {
    return request
            .headers()
            .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
    WebSocketDecoderConfig decoder =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(limits.maxFrameBytes())
            .allowExtensions(false)
            .closeOnProtocolViolation(false)
            .build();
    String url =
        "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + WEBSOCKET_PATH;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, decoder).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.remove(this);
    handshaker
        .handshake(ctx.channel(), request)
        .addListener(
            done -> {
              if (!done.isSuccess()) {
                ctx.close();
                return;
              }
              Optional<Session> session = sessions.open(new NettyConnection(ctx.channel()));
              session.ifPresent(
                  s -> {
                    long interval = limits.heartbeatInterval().toMillis();
                    int misses = (int) Math.ceilDiv(limits.heartbeatTimeout().toMillis(), interval);
                    pipeline
                        .addLast(
                            "ws-aggregate", new WebSocketFrameAggregator(limits.maxFrameBytes()))
                        .addLast(
                            "idle", new IdleStateHandler(interval, 0, 0, TimeUnit.MILLISECONDS))
                        .addLast("heartbeat", new Heartbeat(misses))
                        .addLast("session", new WebSocketHandler(s));
                  });
            });
  }
}
