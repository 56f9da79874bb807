package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the clients' decoder of server frames (docs/fuzzing.md), given text as
 * a client's WebSocket hands it over: a message or a {@link ProtocolException} with a code, within
 * a memory budget linear in the frame, and every message decoded survives the round trip that
 * {@link ServerCodecTest} checks for the messages a server sends.
 */
@Timeout(10)
class ServerCodecFuzzTest {

  @FuzzTest
  void anyFrameIsDecodedOrRefusedWithACode(byte[] frame) {
    String text = new String(frame, UTF_8);
    ServerMessage message;
    try {
      message = Allocations.bounded(frame.length, () -> ServerCodec.decode(text));
    } catch (ProtocolException e) {
      assertThat(e.code()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(ServerCodec.decode(ServerCodec.encodeToString(message))).isEqualTo(message);
  }
}
