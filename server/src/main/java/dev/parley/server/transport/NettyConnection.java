package dev.parley.server.transport;

import dev.parley.protocol.ServerCodec;
import dev.parley.server.connection.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket channel as a {@link Connection}. A client that stops reading is cut off once its
 * unsent frames pass the channel's high water mark, so one slow reader cannot eat the server's
 * memory.
 */
// Netty's futures of writes and closes are not awaited here: a write that fails fails its channel,
// whose close the pipeline sees (channelInactive), and a close cannot fail in a way we could act
// on.
@SuppressWarnings("FutureReturnValueIgnored")
final class NettyConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  private static final int OFF_HEAP_BYTES = 64 * 1024;

  private final Channel channel;
  private final SharedFrames shared;
  private final String remoteAddress;
  private final String requestHost;
  private boolean flushPending; // only read and written on the channel's event loop

  /** Where frames written as they are go: below the WebSocket encoder; null before the upgrade. */
  private final @Nullable ChannelHandlerContext encoded;

  NettyConnection(Channel channel, SharedFrames shared, String requestHost) {
    this.channel = channel;
    this.shared = shared;
    this.encoded = channel.pipeline().context(WebSocketFrameEncoder.class);
    this.requestHost = requestHost;
    this.remoteAddress = ProxyHeader.clientAddress(channel);
  }

  @Override
  public String requestHost() {
    return requestHost;
  }

  @Override
  public void send(byte[] frame) {
    send(payload(frame));
  }

  /**
   * A large welcome goes out as its own head and tail around the one native copy of the online list
   * that every welcome of the moment shares; a small one is joined, as any frame.
   */
  @Override
  public void send(ServerCodec.WelcomeParts parts, byte[] online) {
    if (online.length < OFF_HEAP_BYTES) {
      Connection.super.send(parts, online);
      return;
    }
    CompositeByteBuf welcome = channel.alloc().compositeDirectBuffer(3);
    welcome.addComponents(
        true,
        SharedCopy.nativeCopy(parts.head()),
        shared.online(online),
        SharedCopy.nativeCopy(parts.tail()));
    send(welcome);
  }

  /**
   * Sends a frame that goes to everyone online at once as a view of its one encoded copy, so that
   * all of them cost one copy and, from another thread, one task of each loop.
   */
  @Override
  public void sendShared(byte[] frame) {
    if (encoded == null) {
      send(frame);
      return;
    }
    onLoop(shared.everyone(frame), true);
  }

  private void send(ByteBuf payload) {
    onLoop(payload, false);
  }

  /**
   * Writes {@code frame} on the connection's loop: at once on the loop, else through the loop's
   * outbox, which also carries the tasks and closes asked from other threads, so that whatever one
   * thread asks of the connection happens in the order it asked.
   */
  private void onLoop(ByteBuf frame, boolean forTheWire) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      write(frame, forTheWire);
    } else {
      shared.post(loop, new SharedFrames.Write(this, frame, forTheWire));
    }
  }

  /**
   * On the loop: writes a WebSocket payload, or a frame encoded for the wire already (below the
   * WebSocket encoder), to be flushed when the loop's turn is done.
   */
  void write(ByteBuf frame, boolean forTheWire) {
    if (!admits(frame)) {
      return;
    }
    ChannelHandlerContext below = encoded;
    if (forTheWire && below != null) {
      below.write(frame, channel.voidPromise());
    } else {
      channel.write(new TextWebSocketFrame(frame), channel.voidPromise());
    }
    flushLater();
  }

  /** Whether a frame may be queued: one that may not is released and a slow reader cut off. */
  private boolean admits(ByteBuf frame) {
    if (!channel.isWritable() && channel.isActive()) {
      frame.release();
      log.warn("Closing {}: it does not read what it is sent", remoteAddress);
      channel.close();
      return false;
    }
    return true;
  }

  /** On the loop: flushes once when the turn's work is done, however many frames it wrote. */
  private void flushLater() {
    if (!flushPending) {
      flushPending = true;
      Flushes.ofThisLoop().add(this);
    }
  }

  /**
   * A large frame (a welcome lists everyone online: 800 KB at 10,000) is copied out of the Java
   * heap at once, into native memory freed as soon as it is written. Left on the heap, welcomes
   * waiting for slow readers during a burst of logins lived long enough to be promoted, grew the
   * heap by hundreds of megabytes and kept it grown long after the burst; freed native memory goes
   * back to the system (see the JVM options in docs/operations.md).
   */
  private static ByteBuf payload(byte[] frame) {
    if (frame.length < OFF_HEAP_BYTES) {
      return Unpooled.wrappedBuffer(frame);
    }
    return SharedCopy.nativeCopy(frame);
  }

  private void flush() {
    flushPending = false;
    channel.flush();
  }

  /**
   * The connections an event loop wrote to in its current turn, flushed once each when the turn's
   * reads are done: a busy relay sends several frames to one client in a turn, and each flush is a
   * system call on both ends. Touched only by its loop's thread.
   */
  private static final class Flushes implements Runnable {
    private static final FastThreadLocal<Flushes> PER_LOOP =
        new FastThreadLocal<>() {
          @Override
          protected Flushes initialValue() {
            return new Flushes();
          }
        };

    private final ArrayList<NettyConnection> pending = new ArrayList<>();

    static Flushes ofThisLoop() {
      return PER_LOOP.get();
    }

    void add(NettyConnection connection) {
      if (pending.isEmpty()) {
        connection.channel.eventLoop().execute(this); // runs after this turn's reads
      }
      pending.add(connection);
    }

    @Override
    public void run() {
      for (int i = 0; i < pending.size(); i++) {
        pending.get(i).flush();
      }
      pending.clear();
    }
  }

  @Override
  public void close(int code, String reason) {
    Runnable close =
        () ->
            channel
                .writeAndFlush(new CloseWebSocketFrame(code, reason))
                .addListener(ChannelFutureListener.CLOSE);
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      close.run();
    } else {
      shared.post(loop, SharedFrames.task(close));
    }
  }

  @Override
  public void execute(Runnable task) {
    shared.post(channel.eventLoop(), SharedFrames.task(task));
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }
}
