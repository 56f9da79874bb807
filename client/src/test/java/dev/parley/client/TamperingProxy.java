package dev.parley.client;

import dev.parley.testkit.TextSocket;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A hostile relay for tests: a WebSocket proxy between one client and the server that passes the
 * client's frames on untouched and rewrites every frame the server sends to the client; and that
 * can cut the connections it carries.
 */
final class TamperingProxy implements AutoCloseable {
  private static final int MAX_FRAME = 1 << 20;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  TamperingProxy(URI upstream, UnaryOperator<String> toClient) {
    listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    clients.add(ch);
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(16 * 1024))
                        .addLast(new WebSocketServerProtocolHandler("/ws", null, false, MAX_FRAME))
                        .addLast(new Splice(upstream, toClient));
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  URI ws() {
    return URI.create(
        "ws://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + "/ws");
  }

  /**
   * Drops every client connection it carries, as a network that fails would (no closing handshake);
   * each one's connection to the server closes with it. New connections are carried as before.
   */
  void cut() {
    clients.close().syncUninterruptibly();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One client's connection, spliced to its own connection to the server. */
  private static final class Splice extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final URI upstream;
    private final UnaryOperator<String> toClient;
    private @Nullable TextSocket server;

    Splice(URI upstream, UnaryOperator<String> toClient) {
      this.upstream = upstream;
      this.toClient = toClient;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        Channel client = ctx.channel();
        server =
            TextSocket.open(
                upstream,
                text ->
                    client
                        .writeAndFlush(new TextWebSocketFrame(toClient.apply(text)))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE));
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      if (server != null) {
        server.send(frame.text());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (server != null) {
        server.close();
      }
    }
  }
}
