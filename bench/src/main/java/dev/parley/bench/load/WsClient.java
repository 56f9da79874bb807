package dev.parley.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens WebSocket connections for the load generator: a few event-loop threads for all of them, and
 * source addresses spread over 127.0.N.x (N given, x from 2) so that ephemeral ports never run
 * short. 127.0.0.1 is left out: it is the load balancer's address, from which nodes of a cluster
 * expect a PROXY header; and each generator process takes a network N of its own, as a source
 * address's ephemeral ports are shared by every process that binds it.
 */
// Netty's futures of writes and closes are not awaited here: a write that fails fails its channel,
// whose close the pipeline sees, and a close cannot fail in a way a load generator could act on.
@SuppressWarnings("FutureReturnValueIgnored")
public final class WsClient implements AutoCloseable {
  private static final int MAX_MESSAGE = 64 * 1024 * 1024;
  private static final int PER_SOURCE_ADDRESS = 10_000;

  private final EventLoopGroup group;
  private final String sourcePrefix;
  private int opened;

  /** A client on {@code threads} event loops, connecting from addresses 127.0.{@code network}.x. */
  public WsClient(int threads, int network) {
    if (network < 0 || network > 255) {
      throw new IllegalArgumentException("network must be 0 to 255, not " + network);
    }
    this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.sourcePrefix = "127.0." + network + ".";
  }

  /** Connects to {@code uri}; completes when the WebSocket handshake is done. */
  public synchronized CompletableFuture<WsConnection> connect(URI uri, WsListener listener) {
    CompletableFuture<WsConnection> open = new CompletableFuture<>();
    InetSocketAddress source =
        new InetSocketAddress(sourcePrefix + (2 + opened++ / PER_SOURCE_ADDRESS), 0);
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .maxFramePayloadLength(MAX_MESSAGE)
            .handshakeTimeoutMillis(30_000)
            .dropPongFrames(true)
            // The generator measures servers, not its own UTF-8 checks: validating every byte of
            // a welcome that lists 10,000 users was a fifth of the generator's CPU.
            .withUTF8Validator(false)
            .build();
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(64 * 1024))
                    .addLast(new WebSocketClientProtocolHandler(config))
                    .addLast(new WebSocketFrameAggregator(MAX_MESSAGE))
                    .addLast(new Inbound(listener, open));
              }
            })
        .connect(new InetSocketAddress(uri.getHost(), uri.getPort()), source)
        .addListener(
            future -> {
              if (!future.isSuccess()) {
                open.completeExceptionally(future.cause());
              }
            });
    return open;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static final class Inbound extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final WsListener listener;
    private final CompletableFuture<WsConnection> open;
    private WsConnection connection;

    Inbound(WsListener listener, CompletableFuture<WsConnection> open) {
      this.listener = listener;
      this.open = open;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      connection = new WsConnection(ctx.channel());
      super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        open.complete(connection);
      } else if (event
          == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        open.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      listener.onText(connection, frame.text());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.completeExceptionally(new IllegalStateException("closed before the handshake"));
      listener.onClose(connection);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      open.completeExceptionally(cause);
      ctx.close();
    }
  }
}
