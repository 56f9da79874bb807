package dev.parley.server.cluster;

import dev.parley.server.transport.Transport;
import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionEvents;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.BootstrapConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import reactor.core.publisher.Mono;

/**
 * Lettuce on the node's own event loops, which it neither owns nor stops: the transport stops them,
 * after the cluster is closed.
 *
 * <p>Lettuce picks the class of its channels by what is on the class path (epoll before io_uring
 * before NIO), not by the loops it is handed, and a channel runs only on loops of its own
 * transport. So its connections, and its DNS resolver's sockets, are given the classes of the
 * loops' transport here.
 */
final class SharedLoops {
  private SharedLoops() {}

  /** Resources whose client runs on {@code loops}, of {@code transport}. */
  static ClientResources.Builder resources(EventLoopGroup loops, Transport transport) {
    return ClientResources.builder()
        .eventLoopGroupProvider(new Provider(loops))
        // Its resolvers, one per loop, close when their loop stops.
        .addressResolverGroup(
            new DnsAddressResolverGroup(
                new DnsNameResolverBuilder()
                    .datagramChannelType(transport.datagramChannel())
                    .socketChannelType(transport.socketChannel())));
  }

  /**
   * A client of {@code redis} whose connections are {@code transport}'s channels on {@code loops}.
   */
  static RedisClient client(
      ClientResources resources, RedisURI redis, EventLoopGroup loops, Transport transport) {
    return new Client(resources, redis, loops, transport);
  }

  private static final class Client extends RedisClient {
    private final EventLoopGroup loops;
    private final Transport transport;

    Client(ClientResources resources, RedisURI redis, EventLoopGroup loops, Transport transport) {
      super(resources, redis);
      this.loops = loops;
      this.transport = transport;
    }

    /**
     * Where Lettuce sets up the bootstrap of each connection (and of its reconnections), with a
     * channel class of its own choice, which a bootstrap cannot change: it is made again here, on
     * the loops' transport. Only TCP: ClusterSettings takes no Unix socket.
     */
    @Override
    protected void connectionBuilder(
        Mono<SocketAddress> address,
        ConnectionBuilder connection,
        ConnectionEvents events,
        RedisURI redis) {
      super.connectionBuilder(address, connection, events, redis);
      var unused = connection.bootstrap(onLoops(connection.bootstrap().config()));
    }

    @SuppressWarnings("unchecked") // each option and attribute is copied with its own key
    private Bootstrap onLoops(BootstrapConfig lettuces) {
      Bootstrap ours = new Bootstrap().group(loops).channel(transport.socketChannel());
      lettuces
          .options()
          .forEach(
              (option, value) -> {
                if (everyTransportKnows(option)) {
                  var unusedOption = ours.option((ChannelOption<Object>) option, value);
                }
              });
      lettuces.attrs().forEach((key, value) -> ours.attr((AttributeKey<Object>) key, value));
      if (lettuces.resolver() != null) {
        var unusedResolver = ours.resolver(lettuces.resolver());
      }
      if (lettuces.handler() != null) {
        var unusedHandler = ours.handler(lettuces.handler());
      }
      SocketOptions socket = getOptions().getSocketOptions();
      if (socket.isKeepAlive()) {
        keepAlive(ours, socket.getKeepAlive());
      }
      return ours;
    }

    /**
     * Whether {@code option} is one of Netty's own, which every transport knows. A transport's own
     * are named after their class ({@code EpollChannelOption#TCP_KEEPCNT}); the JDK's socket
     * options are {@link NioChannelOption}s. Lettuce sets such options of the transport it would
     * have chosen (its keep-alive timing): {@link #keepAlive} sets them in our transport's words.
     */
    private static boolean everyTransportKnows(ChannelOption<?> option) {
      return !(option instanceof NioChannelOption) && !option.name().contains("#");
    }

    /**
     * Lettuce's keep-alive timing (by default a probe after 13 s of silence, three missed ones
     * close the connection), which finds a Redis that vanished without closing its connections.
     */
    private void keepAlive(Bootstrap ours, SocketOptions.KeepAliveOptions keepAlive) {
      int count = keepAlive.getCount();
      int idle = Math.toIntExact(keepAlive.getIdle().toSeconds());
      int interval = Math.toIntExact(keepAlive.getInterval().toSeconds());
      var unused =
          switch (transport) {
            case NIO ->
                ours.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count)
                    .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle)
                    .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval);
            case EPOLL ->
                ours.option(EpollChannelOption.TCP_KEEPCNT, count)
                    .option(EpollChannelOption.TCP_KEEPIDLE, idle)
                    .option(EpollChannelOption.TCP_KEEPINTVL, interval);
            case IO_URING ->
                ours.option(IoUringChannelOption.TCP_KEEPCNT, count)
                    .option(IoUringChannelOption.TCP_KEEPIDLE, idle)
                    .option(IoUringChannelOption.TCP_KEEPINTVL, interval);
          };
    }
  }

  private record Provider(EventLoopGroup loops) implements EventLoopGroupProvider {
    @Override
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
      return (T) loops; // whatever group Lettuce asks for: its bootstrap is remade on these
    }

    @Override
    public int threadPoolSize() {
      int count = 0;
      for (var unused : loops) {
        count++;
      }
      return count;
    }

    @Override
    public Future<Boolean> release(
        EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
  }
}
