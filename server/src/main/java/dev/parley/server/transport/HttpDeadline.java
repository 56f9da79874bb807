package dev.parley.server.transport;

import dev.parley.server.metrics.Metrics;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection that makes no progress: one whose request head has not arrived within
 * the request timeout of its opening (a slow-header attack sends one byte a second and never
 * finishes), whose body has not within the request timeout of its head, or that waits idle after a
 * response for longer than the idle timeout. It sits between the HTTP codec, whose complete heads
 * it sees, and the aggregator; a WebSocket upgrade removes it (a session has a login timeout and
 * heartbeats of its own). One timer at a time per connection, on its event loop.
 */
final class HttpDeadline extends ChannelDuplexHandler {
  static final String NAME = "http-deadline";
  private static final Logger log = LoggerFactory.getLogger(HttpDeadline.class);

  private final SocketLimits limits;
  private final Metrics metrics;
  private @Nullable ScheduledFuture<?> timer;
  private String waitingFor = "request head";

  HttpDeadline(SocketLimits limits, Metrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx, limits.requestTimeout().toNanos(), "request head");
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (timer == null) {
      arm(ctx, limits.requestTimeout().toNanos(), "request head");
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      arm(ctx, limits.requestTimeout().toNanos(), "request body");
    }
    if (msg instanceof LastHttpContent) {
      disarm(); // answered at once; the response re-arms the idle timer
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent) {
      arm(ctx, limits.idleTimeout().toNanos(), "next request");
    }
    var unused = ctx.write(msg, promise); // the promise is the caller's
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  private void arm(ChannelHandlerContext ctx, long nanos, String what) {
    disarm();
    waitingFor = what;
    timer = ctx.executor().schedule(() -> expire(ctx), nanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    metrics.httpTimedOut();
    log.debug("Closing {}: its {} did not come in time", ctx.channel().remoteAddress(), waitingFor);
    var unused = ctx.close();
  }
}
