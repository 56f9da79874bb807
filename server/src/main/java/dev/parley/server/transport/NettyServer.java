package dev.parley.server.transport;

import dev.parley.server.http.HttpRoutes;
import dev.parley.server.limits.AddressLimit;
import dev.parley.server.metrics.Metrics;
import dev.parley.server.peerjs.PeerJsRealm;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.session.Sessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The listening socket and its event loops, of one {@link Transport}. A few threads serve every
 * connection; nothing on them blocks. See docs/adr/0002-netty.md.
 */
public final class NettyServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 16 * 1024;

  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final SharedFrames shared;

  private NettyServer(
      Transport transport,
      EventLoopGroup boss,
      EventLoopGroup workers,
      Channel listener,
      SharedFrames shared) {
    this.transport = transport;
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
    this.shared = shared;
  }

  /**
   * The event loops that serve connections ({@link #ioThreads()} of them, of {@code transport}),
   * made before the server starts so that the node's Redis client can share them; {@link #start}
   * takes them over.
   */
  public static EventLoopGroup newWorkers(Transport transport) {
    return transport.newLoops(ioThreads());
  }

  /**
   * Binds {@code host:port} (port 0: any free port) and starts serving on {@code workers}, which it
   * stops when it closes or fails to start; with {@code tls}, every connection speaks TLS first
   * (HTTPS and WSS on the one port). {@code workers} are of {@code transport}.
   */
  public static NettyServer start(
      String host,
      int port,
      Sessions sessions,
      HttpRoutes routes,
      SessionLimits limits,
      SocketLimits sockets,
      Metrics metrics,
      @Nullable PeerJsRealm peerJs,
      @Nullable SslContext tls,
      Transport transport,
      EventLoopGroup workers)
      throws InterruptedException {
    AddressLimit perAddress = new AddressLimit(sockets.perAddress());
    SharedFrames shared = new SharedFrames();
    HttpRouter.Shared router = HttpRouter.Shared.of(sessions, routes, limits, peerJs, shared);
    EventLoopGroup boss = transport.newAcceptLoop();
    try {
      ServerBootstrap bootstrap = new ServerBootstrap();
      transport.configureChildren(bootstrap);
      Channel listener =
          withSocketOptions(bootstrap.group(boss, workers).channel(transport.serverSocketChannel()))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      BiPredicate<Channel, String> admit =
                          (channel, address) -> {
                            if (!perAddress.tryAcquire(address)) {
                              metrics.socketRefused();
                              var unused = channel.close(); // before it costs anything more
                              return false;
                            }
                            var unused =
                                channel
                                    .closeFuture()
                                    .addListener(closed -> perAddress.release(address));
                            return true;
                          };
                      if (sockets.trustedProxies().trusts(ch.remoteAddress().getAddress())) {
                        // Counted under the client its PROXY header names, once it is read.
                        ch.pipeline().addLast("proxy", new ProxyHeader(admit));
                      } else if (!admit.test(
                          ch, ch.remoteAddress().getAddress().getHostAddress())) {
                        return;
                      }
                      if (tls != null) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                      }
                      ch.pipeline()
                          .addLast("http", newHttpCodec())
                          .addLast(HttpDeadline.NAME, new HttpDeadline(sockets, metrics))
                          .addLast("http-aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                          .addLast("route", new HttpRouter(router));
                    }
                  })
              .bind(host, port)
              .sync()
              .channel();
      return new NettyServer(transport, boss, workers, listener, shared);
    } catch (InterruptedException | RuntimeException e) {
      // Not awaited: the start failed, and what failed is thrown now.
      var unusedBoss = boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      var unusedWorkers = workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * The server's socket options: a deep accept backlog for reconnect storms, no Nagle delay, and
   * the write water marks a slow reader is measured against. Public, like {@link #newHttpCodec}, so
   * that the benchmark's bare Netty server, the floor under this one, is set up the same way.
   */
  public static ServerBootstrap withSocketOptions(ServerBootstrap bootstrap) {
    return bootstrap
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(4 * 1024 * 1024, 8 * 1024 * 1024));
  }

  /**
   * The HTTP decoder and encoder of a new connection, with the server's limits on a request head.
   */
  public static HttpServerCodec newHttpCodec() {
    return new HttpServerCodec(4096, 8192, 8192);
  }

  /**
   * One event loop per two cores (at least one), not Netty's two per core. A relay between
   * connections on different loops hands the frame over as a task and wakes the other loop: on 2
   * cores at 2,000 relays a second, one loop cost about 75 ms of CPU per 1,000 relays against 95
   * for two loops and 120 to 150 for four (docs/benchmarks.md). More loops pay off only when
   * presence frames go out to thousands at once (each a socket write); half the cores leaves the
   * other half to the kernel's network work, the collector and the login work off the loops.
   * Netty's own {@code io.netty.eventLoopThreads} system property, when set, wins.
   */
  static int ioThreads() {
    if (System.getProperty("io.netty.eventLoopThreads") != null) {
      return 0; // Netty's default, which reads the property
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** The transport the listener and every connection run on. */
  public Transport transport() {
    return transport;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** Stops accepting new connections; open ones carry on. */
  public void stopAccepting() {
    listener.close().awaitUninterruptibly();
  }

  /** Closes every connection and stops the event loops. */
  @Override
  public void close() {
    stopAccepting();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    shared.close();
  }
}
