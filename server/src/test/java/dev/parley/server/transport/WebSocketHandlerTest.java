package dev.parley.server.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.connection.Endpoint;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fragments joined by the handler itself: whole messages out, limits kept, nothing leaked. */
class WebSocketHandlerTest {
  private static final int MAX = 64;

  private final Recorded endpoint = new Recorded();
  private final Buffers buffers = new Buffers();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  WebSocketHandlerTest() {
    channel.config().setAllocator(buffers);
    channel
        .pipeline()
        .addLast(
            new WebSocketHandler(
                endpoint,
                Heartbeats.of(
                    channel.eventLoop(),
                    Heartbeats.Policy.pinging(Duration.ofSeconds(15), Duration.ofSeconds(45))),
                MAX));
  }

  @Test
  void fragmentsAreHandedOnAsOneMessageWithAPingBetweenThemAnswered() {
    channel.writeInbound(new TextWebSocketFrame(false, 0, text("{\"type\":")));
    channel.writeInbound(new PingWebSocketFrame(text("still there?")));
    channel.writeInbound(new ContinuationWebSocketFrame(false, 0, text("\"pi")));
    channel.writeInbound(new ContinuationWebSocketFrame(true, 0, text("ng\"}")));

    assertThat(endpoint.texts).containsExactly("{\"type\":\"ping\"}");
    PongWebSocketFrame pong = channel.readOutbound();
    assertThat(pong.content().toString(UTF_8)).isEqualTo("still there?");
    pong.release();
    assertThat(buffers.allReleased()).isTrue();
  }

  @Test
  void aMessageInFragmentsIsCheckedForUtf8OnceWhole() {
    // é is C3 A9: split between two fragments it is still one character.
    channel.writeInbound(
        new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC3})));
    channel.writeInbound(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xA9})));
    assertThat(endpoint.texts).containsExactly("a\u00e9");

    channel.writeInbound(
        new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC3})));
    channel.writeInbound(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {'b'})));
    assertThat(closeCode()).isEqualTo(1007);
    assertThat(endpoint.texts).hasSize(1);
  }

  @Test
  void fragmentsPastTheLimitAreReportedOnceAndDroppedAndTheNextMessageIsWhole() {
    channel.writeInbound(
        new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX / 2])));
    channel.writeInbound(
        new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX / 2 + 1])));
    channel.writeInbound(
        new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX])));
    channel.writeInbound(new ContinuationWebSocketFrame(true, 0, text("end")));
    assertThat(endpoint.tooLarge).isEqualTo(1);
    assertThat(endpoint.binaries).isZero();
    assertThat(buffers.allReleased()).isTrue();

    channel.writeInbound(
        new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX / 2])));
    channel.writeInbound(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[MAX / 2])));
    assertThat(endpoint.binaries).isEqualTo(1);
    assertThat(endpoint.tooLarge).isEqualTo(1);
  }

  @Test
  void aConnectionClosedInTheMiddleOfAMessageLetsGoOfItsFragments() {
    channel.writeInbound(new TextWebSocketFrame(false, 0, text("{\"type\":")));
    assertThat(buffers.made).hasSize(1);
    assertThat(buffers.allReleased()).isFalse();

    channel.close().syncUninterruptibly();

    assertThat(buffers.allReleased()).isTrue();
    assertThat(endpoint.closed).isEqualTo(1);
    assertThat(endpoint.texts).isEmpty();
  }

  @Test
  void aContinuationOfNothingClosesWith1002() {
    channel.writeInbound(new ContinuationWebSocketFrame(true, 0, text("{}")));

    assertThat(closeCode()).isEqualTo(1002);
    assertThat(endpoint.texts).isEmpty();
  }

  @Test
  void aNewMessageBeforeTheLastFragmentClosesWith1002() {
    channel.writeInbound(new TextWebSocketFrame(false, 0, text("{\"type\":")));
    channel.writeInbound(new TextWebSocketFrame(text("{\"type\":\"ping\"}")));

    assertThat(closeCode()).isEqualTo(1002);
    assertThat(endpoint.texts).isEmpty();
    assertThat(buffers.allReleased()).isTrue();
  }

  private int closeCode() {
    CloseWebSocketFrame close = channel.readOutbound();
    int code = close.statusCode();
    close.release();
    assertThat(channel.isOpen()).isFalse();
    return code;
  }

  private static ByteBuf text(String text) {
    return Unpooled.copiedBuffer(text, UTF_8);
  }

  /** An endpoint that writes down what it is told. */
  private static final class Recorded implements Endpoint {
    final List<String> texts = new ArrayList<>();
    int binaries;
    int tooLarge;
    int closed;

    @Override
    public void onText(byte[] text) {
      texts.add(new String(text, UTF_8));
    }

    @Override
    public void onBinary() {
      binaries++;
    }

    @Override
    public void onFrameTooLarge() {
      tooLarge++;
    }

    @Override
    public void onClosed() {
      closed++;
    }
  }

  /** An allocator that keeps every buffer it makes, to see that each was released. */
  private static final class Buffers extends AbstractByteBufAllocator {
    final List<ByteBuf> made = new ArrayList<>();

    Buffers() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf buffer = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
      made.add(buffer);
      return buffer;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf buffer = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
      made.add(buffer);
      return buffer;
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    boolean allReleased() {
      return made.stream().allMatch(buffer -> buffer.refCnt() == 0);
    }
  }
}
