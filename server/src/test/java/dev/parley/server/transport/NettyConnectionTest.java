package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Identity;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.UserName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NettyConnectionTest {
  private final SharedFrames shared = new SharedFrames();

  @Test
  void largeWelcomesCarryTheOneSharedCopyOfTheOnlineListAndFreeItOnceWritten() {
    List<OnlineUser> users = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) { // about 110 KB: past the size kept on the Java heap
      users.add(new OnlineUser(new UserName("user" + i), Identity.generate().publicKey()));
    }
    byte[] online = ServerCodec.encodeOnline(users);
    ServerCodec.WelcomeParts alice =
        ServerCodec.welcomeParts(new UserName("alice"), List.of(), 15, 1, PresenceMode.EVERYONE);
    ServerCodec.WelcomeParts bob =
        ServerCodec.welcomeParts(new UserName("bob"), List.of(), 15, 1, PresenceMode.EVERYONE);

    EmbeddedChannel one = channel();
    EmbeddedChannel two = channel();
    new NettyConnection(one, shared, "localhost").send(alice, online);
    new NettyConnection(two, shared, "localhost").send(bob, online);
    ByteBuf copy = shared.online(online); // a view of the same copy the welcomes carry
    int held = copy.refCnt();
    copy.release();

    assertThat(payload(one)).isEqualTo(alice.around(online));
    assertThat(payload(two)).isEqualTo(bob.around(online));
    assertThat(held).as("the cache's reference, two welcomes' and this view's").isEqualTo(4);
    assertThat(copy.refCnt()).as("the welcomes written and released").isEqualTo(1);
    shared.close();
    assertThat(copy.refCnt()).isZero();
  }

  @Test
  void aNewListReplacesTheCopyOfTheOldOne() {
    byte[] first = new byte[100_000];
    ByteBuf firstCopy = shared.online(first);
    firstCopy.release();

    shared.online(new byte[100_000]).release();

    assertThat(firstCopy.refCnt()).isZero();
  }

  @Test
  void aFrameForEveryoneIsEncodedOnceAndEachConnectionWritesAViewOfIt() {
    byte[] presence = new byte[70_000]; // past the length a 16-bit header holds
    Arrays.fill(presence, (byte) 'x');
    EmbeddedChannel one = channel();
    EmbeddedChannel two = channel();

    new NettyConnection(one, shared, "localhost").sendShared(presence);
    new NettyConnection(two, shared, "localhost").sendShared(presence);
    ByteBuf copy = shared.everyone(presence);
    int held = copy.refCnt();
    copy.release();

    assertThat(held).as("the cache's reference, two frames' and this view's").isEqualTo(4);
    assertThat(payload(one)).isEqualTo(presence);
    assertThat(payload(two)).isEqualTo(presence);
    assertThat(copy.refCnt()).as("both frames written and released").isEqualTo(1);
  }

  @Test
  void aConnectionThatStoppedReadingIsCutOffRatherThanQueuedAnotherSharedFrame() {
    EmbeddedChannel slow = channel();
    slow.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
    NettyConnection connection = new NettyConnection(slow, shared, "localhost");
    connection.sendShared(new byte[100]); // queued, not flushed: past the high water mark
    connection.sendShared(new byte[100]);

    assertThat(slow.isOpen()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 200_000})
  void framesEncodedForEveryoneAreWhatNettysEncoderWrites(int length) {
    byte[] payload = new byte[length];
    new Random(length).nextBytes(payload);
    EmbeddedChannel netty = channel();
    netty.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
    ByteBuf expected = Unpooled.buffer();
    for (ByteBuf out; (out = netty.readOutbound()) != null; ) {
      expected.writeBytes(out);
      out.release();
    }

    ByteBuf ours = SharedFrames.textFrame(payload);

    assertThat(ByteBufUtil.equals(ours, expected)).isTrue();
    ours.release();
  }

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new WebSocket08FrameEncoder(false));
  }

  /** The payload of the one WebSocket frame written to {@code channel}. */
  private static byte[] payload(EmbeddedChannel channel) {
    channel.runPendingTasks(); // the flush at the end of the loop's turn
    ByteBuf wire = Unpooled.buffer();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      wire.writeBytes(out);
      out.release();
    }
    assertThat((int) wire.readUnsignedByte()).as("FIN and text").isEqualTo(0x81);
    int marker = wire.readUnsignedByte();
    long length =
        marker == 127 ? wire.readLong() : marker == 126 ? wire.readUnsignedShort() : marker;
    byte[] payload = new byte[wire.readableBytes()];
    wire.readBytes(payload);
    assertThat(payload).hasSize((int) length);
    return payload;
  }
}
