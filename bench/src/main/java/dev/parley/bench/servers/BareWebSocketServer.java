package dev.parley.bench.servers;

import dev.parley.protocol.Base64Url;
import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.transport.NettyServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.security.SecureRandom;

/**
 * The floor under any WebSocket server on Netty and this JVM: Netty's epoll transport configured as
 * Parley's server configures it (one accepting loop, one loop for connections, the same socket
 * options and HTTP limits), which upgrades any request to a WebSocket, answers it with PeerJS's
 * {@code {"type":"OPEN"}} so that the PeerJS load generator counts it as connected, and then holds
 * the connection doing nothing. No session, name, key, limiter, heartbeat or directory: what it
 * holds per connection and spends per connect is what Netty itself needs, which Parley cannot go
 * below while it runs on Netty.
 *
 * <p>With the argument {@code login} it is instead the floor under a Parley login: after the
 * upgrade it sends Parley's challenge, decodes the client's login with Parley's codec, checks its
 * Ed25519 proof as Parley does, and answers a proven login with a bare {@code {"type":"welcome"}}.
 * Still no session, directory, presence, limiter or heartbeat: what a login costs over this floor
 * is Parley's own work, what the floor costs over the bare server is the proof a login must carry.
 *
 * <p>With {@code login-at-once} it is the floor under a login without the challenge's round trip:
 * the server sends nothing after the upgrade, and the client's first frame is its login, whose
 * proof signs {@link #AT_ONCE_NONCE} in place of a challenge. Not a protocol (a fixed nonce proves
 * nothing fresh; a real one would sign a time and be remembered against replay): a measure of what
 * one frame each way fewer would leave, the same Ed25519 check included.
 *
 * <p>Run by the benchmark as a process of its own with Parley's JVM options; the arguments are the
 * loopback port to listen on and, optionally, {@code login} or {@code login-at-once}.
 */
// A write that fails fails its channel, and a close cannot fail in a way this server could act on.
@SuppressWarnings("FutureReturnValueIgnored")
public final class BareWebSocketServer {
  /** The largest request and frame it takes, Parley's default message limit. */
  private static final int MAX_BYTES = 64 * 1024;

  private static final TextWebSocketFrame OPEN_TEXT = new TextWebSocketFrame("{\"type\":\"OPEN\"}");

  private static final TextWebSocketFrame WELCOME_TEXT =
      new TextWebSocketFrame("{\"type\":\"welcome\"}");

  /** What the challenges name as the server, as a Parley server names its own id. */
  public static final String SERVER_ID = "bare-netty-floor";

  /** What a login of the floor without a challenge signs in place of the challenge's nonce. */
  public static final String AT_ONCE_NONCE = "login-at-once";

  /** What the server does after the upgrade. */
  private enum Mode {
    /** Answers PeerJS's OPEN and holds the connection. */
    HOLD,
    /** Challenges, then checks the login against the challenge. */
    LOGIN,
    /** Waits for a login that signs {@link #AT_ONCE_NONCE}, and checks it. */
    LOGIN_AT_ONCE
  }

  private BareWebSocketServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    Mode mode =
        args.length < 2
            ? Mode.HOLD
            : switch (args[1]) {
              case "login" -> Mode.LOGIN;
              case "login-at-once" -> Mode.LOGIN_AT_ONCE;
              default -> throw new IllegalArgumentException("unknown mode " + args[1]);
            };
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    WebSocketDecoderConfig decoder =
        WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_BYTES).build();
    Channel listener =
        NettyServer.withSocketOptions(
                new ServerBootstrap().group(boss, workers).channel(EpollServerSocketChannel.class))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("http", NettyServer.newHttpCodec())
                        .addLast("http-aggregate", new HttpObjectAggregator(MAX_BYTES))
                        .addLast("upgrade", new Upgrade(decoder, mode));
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    System.out.println(
        "bare WebSocket server on 127.0.0.1:"
            + port
            + " (epoll"
            + switch (mode) {
              case HOLD -> ")";
              case LOGIN -> ", checking logins)";
              case LOGIN_AT_ONCE -> ", checking logins sent without a challenge)";
            });
    listener.closeFuture().sync();
  }

  /** Upgrades every request; the HTTP handlers leave the pipeline with it. */
  private static final class Upgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebSocketDecoderConfig decoder;
    private final Mode mode;

    Upgrade(WebSocketDecoderConfig decoder, Mode mode) {
      this.decoder = decoder;
      this.mode = mode;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      WebSocketServerHandshaker handshaker =
          new WebSocketServerHandshakerFactory("ws://127.0.0.1" + request.uri(), null, decoder)
              .newHandshaker(request);
      if (handshaker == null) {
        ctx.writeAndFlush(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.pipeline().remove(this);
      Channel channel = ctx.channel();
      handshaker
          .handshake(channel, request)
          .addListener(
              done -> {
                if (!done.isSuccess()) {
                  channel.close();
                  return;
                }
                greet(channel);
              });
    }

    /**
     * Starts the upgraded connection: challenges it (login), tells it it is connected (hold) or
     * waits for its login (at once), and hands its frames to the handler that waits for what comes
     * next.
     */
    private void greet(Channel channel) {
      if (mode == Mode.HOLD) {
        channel.pipeline().addLast("hold", new Hold());
        channel.writeAndFlush(OPEN_TEXT.retainedDuplicate());
        return;
      }
      if (mode == Mode.LOGIN_AT_ONCE) {
        channel.pipeline().addLast("login", new Login(AT_ONCE_NONCE));
        return;
      }
      byte[] nonce = new byte[32]; // as long as Parley's
      RANDOM.nextBytes(nonce);
      String challenge = Base64Url.encode(nonce);
      channel.pipeline().addLast("login", new Login(challenge));
      channel.writeAndFlush(
          new TextWebSocketFrame(
              Unpooled.wrappedBuffer(
                  ServerCodec.encode(
                      new ServerMessage.Challenge(
                          ClientMessage.Login.VERSIONS, SERVER_ID, challenge)))));
    }
  }

  /** Reads and drops every frame; a close frame closes the connection. */
  private static final class Hold extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame) {
        ctx.close();
      }
    }
  }

  /**
   * Checks the one login a connection sends, against its challenge: a proven login is welcomed and
   * the connection held from then on; anything else, or a login that proves nothing, closes it.
   */
  private static final class Login extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final String nonce;

    Login(String nonce) {
      this.nonce = nonce;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      try {
        if (frame instanceof TextWebSocketFrame
            && ClientCodec.decode(ByteBufUtil.getBytes(frame.content())).message()
                instanceof ClientMessage.Login login
            && LoginProof.verify(
                SERVER_ID, nonce, login.name(), login.publicKey(), login.signature())) {
          ctx.pipeline().replace(this, "hold", new Hold());
          ctx.writeAndFlush(WELCOME_TEXT.retainedDuplicate());
          return;
        }
      } catch (ProtocolException e) {
        // closed below, as a login that proves nothing
      }
      ctx.close();
    }
  }
}
