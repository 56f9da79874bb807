package dev.parley.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.Optional;

/**
 * How the server's sockets reach the kernel: one of Netty's transports. The native ones load a
 * library that the build carries for Linux x86-64 only. A channel runs only on event loops of its
 * own transport, so whatever shares the server's loops (the Redis client of a node) takes its
 * channel classes from here. What each costs: docs/operations.md#transport.
 */
public enum Transport {
  /** Java's own non-blocking sockets: runs everywhere. */
  NIO("nio"),
  /** Linux's epoll, through Netty's native library: fewer objects per connection than NIO. */
  EPOLL("epoll"),
  /**
   * Linux's io_uring, through Netty's native library: reads take buffers from a ring each loop
   * shares. A presence frame reaches thousands sooner than on epoll; relays cost more.
   */
  IO_URING("io_uring");

  private static final short BUFFER_GROUP = 1;
  private final String optionName;

  Transport(String optionName) {
    this.optionName = optionName;
  }

  /** The transport {@code --transport} names so. */
  public static Optional<Transport> named(String name) {
    return Arrays.stream(values()).filter(t -> t.optionName.equals(name)).findFirst();
  }

  /** Why this transport cannot run here (its native library did not load), or empty if it can. */
  public Optional<Throwable> unavailability() {
    return switch (this) {
      case NIO -> Optional.empty();
      case EPOLL -> Optional.ofNullable(Epoll.unavailabilityCause());
      case IO_URING -> Optional.ofNullable(IoUring.unavailabilityCause());
    };
  }

  /**
   * {@code threads} event loops of this transport for connections; 0: Netty's default number. On
   * io_uring each has a ring of read buffers its connections share.
   */
  EventLoopGroup newLoops(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, ioHandlers(true));
  }

  /** The one loop that accepts connections: it reads none, so it needs no read buffers. */
  EventLoopGroup newAcceptLoop() {
    return new MultiThreadIoEventLoopGroup(1, ioHandlers(false));
  }

  private IoHandlerFactory ioHandlers(boolean reads) {
    return switch (this) {
      case NIO -> NioIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      case IO_URING ->
          reads
              ? IoUringIoHandler.newFactory(
                  new IoUringIoHandlerConfig()
                      .setBufferRingConfig(
                          IoUringBufferRingConfig.builder()
                              .bufferGroupId(BUFFER_GROUP)
                              .bufferRingSize((short) 512)
                              .batchSize(64)
                              .allocator(new IoUringFixedBufferRingAllocator(4096))
                              .build()))
              : IoUringIoHandler.newFactory();
    };
  }

  /**
   * Options of an accepted connection that belong to this transport: on io_uring, reads take their
   * buffer from the loop's shared ring when data arrives, instead of each idle connection holding
   * one for the read it has waiting.
   */
  void configureChildren(ServerBootstrap bootstrap) {
    if (this == IO_URING) {
      bootstrap.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
    }
  }

  Class<? extends ServerSocketChannel> serverSocketChannel() {
    return switch (this) {
      case NIO -> NioServerSocketChannel.class;
      case EPOLL -> EpollServerSocketChannel.class;
      case IO_URING -> IoUringServerSocketChannel.class;
    };
  }

  /** The class of an outgoing TCP connection on this transport's loops. */
  public Class<? extends SocketChannel> socketChannel() {
    return switch (this) {
      case NIO -> NioSocketChannel.class;
      case EPOLL -> EpollSocketChannel.class;
      case IO_URING -> IoUringSocketChannel.class;
    };
  }

  /** The class of a UDP socket on this transport's loops (a DNS resolver's). */
  public Class<? extends DatagramChannel> datagramChannel() {
    return switch (this) {
      case NIO -> NioDatagramChannel.class;
      case EPOLL -> EpollDatagramChannel.class;
      case IO_URING -> IoUringDatagramChannel.class;
    };
  }

  /** The name {@code --transport} takes: {@code nio}, {@code epoll}, {@code io_uring}. */
  @Override
  public String toString() {
    return optionName;
  }
}
