package dev.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * First in the pipeline of a connection from a {@linkplain TrustedProxies trusted proxy}: reads a
 * PROXY protocol header if the connection begins with one, records the client it names, and admits
 * the connection under that client's address; without a header (the proxy's host connecting itself)
 * it is admitted under its own. Then it leaves the pipeline.
 */
final class ProxyHeader extends ByteToMessageDecoder {
  /** The client a proxy named, as an address string; unset when there was none. */
  static final AttributeKey<String> CLIENT = AttributeKey.valueOf("parley.client");

  /** Admits a connection under an address, or says no (the cap per address is full). */
  private final BiPredicate<Channel, String> admit;

  ProxyHeader(BiPredicate<Channel, String> admit) {
    this.admit = admit;
  }

  /** The address of the client on {@code channel}: the one its proxy named, else its peer's. */
  static String clientAddress(Channel channel) {
    String named = channel.attr(CLIENT).get();
    if (named != null) {
      return named;
    }
    return channel.remoteAddress() instanceof InetSocketAddress address
        ? address.getAddress().getHostAddress()
        : String.valueOf(channel.remoteAddress());
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    ProtocolDetectionResult<HAProxyProtocolVersion> detected =
        HAProxyMessageDecoder.detectProtocol(in);
    switch (detected.state()) {
      case NEEDS_MORE_DATA -> {
        // The request deadline bounds how long this may take.
      }
      case INVALID -> {
        if (admit.test(ctx.channel(), clientAddress(ctx.channel()))) {
          ctx.pipeline().remove(this); // what it read goes on to HTTP
        } else {
          in.skipBytes(in.readableBytes());
        }
      }
      case DETECTED -> {
        ctx.pipeline()
            .addAfter(ctx.name(), "proxy-decoder", new HAProxyMessageDecoder())
            .addAfter("proxy-decoder", "proxy-client", new Client(admit));
        ctx.pipeline().remove(this);
      }
    }
  }

  /** Takes the decoded header: records the client, admits it, and leaves. */
  private static final class Client extends ChannelInboundHandlerAdapter {
    private final BiPredicate<Channel, String> admit;

    Client(BiPredicate<Channel, String> admit) {
      this.admit = admit;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof HAProxyMessage header)) {
        ctx.fireChannelRead(msg);
        return;
      }
      @Nullable String source = header.sourceAddress(); // none for the proxy's own checks
      header.release();
      if (source != null) {
        ctx.channel().attr(CLIENT).set(source);
      }
      if (admit.test(ctx.channel(), clientAddress(ctx.channel()))) {
        ctx.pipeline().remove(this);
      }
    }
  }
}
