package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the server's decoder of client frames (docs/fuzzing.md). Whatever the
 * bytes, decoding returns a message or throws a {@link ProtocolException} with a code, within a
 * memory budget linear in the frame; what it returns encodes back to itself; and a signal's data,
 * which the server forwards as it came, is JSON that the receiving client reads as the same tree.
 * The hand-made mutations of {@link CodecFuzzTest} stay as a quick first line.
 */
@Timeout(10)
class ClientCodecFuzzTest {
  private static final UserName SENDER = new UserName("sender");

  @FuzzTest
  void anyFrameIsDecodedOrRefusedWithACode(byte[] frame) {
    ClientCodec.Inbound inbound;
    try {
      inbound = Allocations.bounded(frame.length, () -> ClientCodec.decode(frame));
    } catch (ProtocolException e) {
      assertThat(e.code()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
      e.ref()
          .ifPresent(ref -> assertThat(ref).hasSizeLessThanOrEqualTo(ClientCodec.MAX_REF_LENGTH));
      return;
    }
    if (inbound.ref() != null) {
      assertThat(inbound.ref()).hasSizeLessThanOrEqualTo(ClientCodec.MAX_REF_LENGTH);
    }
    if (inbound.message() instanceof ClientMessage.Signal signal) {
      assertThat(signal.data()).as("a decoded signal keeps its data as text").isNull();
      relaysAsSent(signal, inbound.data());
    } else {
      assertThat(inbound.data()).as("only a signal's data is kept").isNull();
      ClientCodec.Inbound again =
          ClientCodec.decode(ClientCodec.encode(inbound.message(), inbound.ref()));
      assertThat(again.message()).isEqualTo(inbound.message());
      assertThat(again.ref()).isEqualTo(inbound.ref());
    }
  }

  /** The frame the server relays is one the recipient's decoder reads as the data sent. */
  private static void relaysAsSent(ClientMessage.Signal signal, byte[] data) {
    assertThat(data).as("a decoded signal's data text").isNotNull();
    var sent = Json.parse(data);
    assertThat(sent.isObject()).isTrue();
    String relayed = new String(ServerCodec.encodeSignal(signal.kind(), SENDER, data), UTF_8);
    assertThat(ServerCodec.decode(relayed))
        .isEqualTo(new ServerMessage.Signal(signal.kind(), SENDER, sent));
  }
}
