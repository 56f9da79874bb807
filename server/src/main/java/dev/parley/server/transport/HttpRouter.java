package dev.parley.server.transport;

import dev.parley.server.connection.Connection;
import dev.parley.server.connection.Endpoint;
import dev.parley.server.http.HttpRoutes;
import dev.parley.server.http.RequestTarget;
import dev.parley.server.peerjs.PeerJsApi;
import dev.parley.server.peerjs.PeerJsRealm;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.session.Sessions;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The fork in the pipeline: a WebSocket upgrade at {@code /ws} becomes a native session, one at the
 * PeerJS path a PeerJS client; other requests go to the PeerJS API or the HTTP routes.
 */
// Netty's futures of writes and closes are not awaited here: a write that fails fails its channel,
// whose close the pipeline sees (channelInactive), and a close cannot fail in a way we could act
// on.
@SuppressWarnings("FutureReturnValueIgnored")
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String WEBSOCKET_PATH = "/ws";

  /**
   * What the routers of all of a server's connections share, made once per server: a router is made
   * per connection.
   */
  record Shared(
      Sessions sessions,
      HttpRoutes routes,
      SessionLimits limits,
      @Nullable PeerJsDoor peerJs,
      SharedFrames frames,
      Heartbeats.Policy nativeHeartbeat,
      WebSocketDecoderConfig decoder,
      RequestHost.Recent hosts) {

    static Shared of(
        Sessions sessions,
        HttpRoutes routes,
        SessionLimits limits,
        @Nullable PeerJsRealm peerJs,
        SharedFrames frames) {
      return new Shared(
          sessions,
          routes,
          limits,
          peerJs == null ? null : PeerJsDoor.of(peerJs, routes),
          frames,
          Heartbeats.Policy.pinging(limits.heartbeatInterval(), limits.heartbeatTimeout()),
          WebSocketDecoderConfig.newBuilder()
              .maxFramePayloadLength(limits.maxFrameBytes())
              .allowExtensions(false)
              .closeOnProtocolViolation(false)
              .build(),
          new RequestHost.Recent());
    }
  }

  /** The PeerJS endpoint, where it is on: its WebSocket, its HTTP API and its heartbeat policy. */
  record PeerJsDoor(PeerJsRealm realm, PeerJsApi api, Heartbeats.Policy heartbeat) {
    static PeerJsDoor of(PeerJsRealm realm, HttpRoutes routes) {
      return new PeerJsDoor(
          realm,
          new PeerJsApi(realm, routes.metrics()),
          // PeerJS clients send HEARTBEAT messages themselves.
          Heartbeats.Policy.unpinged(realm.config().aliveTimeout()));
    }
  }

  private final Shared shared;

  HttpRouter(Shared shared) {
    this.shared = shared;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Optional<RequestTarget> target =
        request.decoderResult().isFailure() ? Optional.empty() : RequestTarget.of(request.uri());
    if (target.isEmpty()) {
      ctx.writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    String path = target.get().path();
    boolean upgrade = isUpgrade(request);
    PeerJsDoor peerJs = shared.peerJs();
    if (upgrade && path.equals(WEBSOCKET_PATH)) {
      upgrade(ctx, request, shared.sessions()::open, shared.nativeHeartbeat());
    } else if (upgrade && peerJs != null && path.equals(peerJs.realm().config().webSocketPath())) {
      Map<String, String> query = firstValues(target.get().parameters());
      upgrade(ctx, request, c -> peerJs.realm().connect(query, c), peerJs.heartbeat());
    } else if (peerJs != null && peerJs.api().owns(path)) {
      peerJs.api().handle(ctx, request, path);
    } else {
      shared.routes().handle(ctx, request, path);
    }
  }

  private static boolean isUpgrade(FullHttpRequest request) {
    return request
            .headers()
            .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private static Map<String, String> firstValues(Map<String, List<String>> parameters) {
    Map<String, String> first = new HashMap<>();
    parameters.forEach((name, values) -> first.put(name, values.isEmpty() ? "" : values.get(0)));
    return first;
  }

  /**
   * Completes the WebSocket handshake and hands the connection to {@code open}, whose liveness is
   * then checked under {@code heartbeat}.
   */
  private void upgrade(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      Function<Connection, Optional<? extends Endpoint>> open,
      Heartbeats.Policy heartbeat) {
    String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, shared.decoder()).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.remove(this);
    pipeline.remove(HttpDeadline.NAME); // the session's login timeout and heartbeats take over
    handshaker
        .handshake(ctx.channel(), request)
        .addListener(
            done -> {
              if (!done.isSuccess()) {
                ctx.close();
                return;
              }
              Optional<? extends Endpoint> endpoint =
                  open.apply(
                      new NettyConnection(
                          ctx.channel(),
                          shared.frames(),
                          shared.hosts().of(request, ctx.channel())));
              endpoint.ifPresent(
                  e -> {
                    // A text message that is not UTF-8 is closed with 1007 by WebSocketHandler,
                    // once whole: Netty's Utf8FrameValidator checks each byte through a callback,
                    // and was a third of the CPU of a relay (docs/benchmarks.md). The handler also
                    // joins fragments itself, so no aggregator stays in the pipeline.
                    pipeline.addLast(
                        "endpoint",
                        new WebSocketHandler(
                            e,
                            Heartbeats.of(ctx.channel().eventLoop(), heartbeat),
                            shared.limits().maxFrameBytes()));
                  });
            });
  }
}
