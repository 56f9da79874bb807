package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.SignalKind;
import dev.parley.testkit.Allocations;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the {@code data} of a relayed signal, as the client reads it once the
 * server codec has made it a JSON object (docs/fuzzing.md): the input's first byte picks the kind,
 * the rest is the object. It is a {@link LinkSignal} or refused with the {@link
 * IllegalArgumentException} that the client logs and ignores, within a memory budget linear in the
 * input, and a signal read is written back as data that reads as the same signal.
 */
@Timeout(10)
class LinkSignalFuzzTest {

  @FuzzTest
  @SuppressWarnings("EnumOrdinal") // the input's first byte picks any kind: no index is kept
  void anySignalsDataIsReadOrRefused(byte[] input) {
    if (input.length == 0) {
      return;
    }
    SignalKind kind = SignalKind.values()[(input[0] & 0xFF) % SignalKind.values().length];
    JsonNode data;
    try {
      data = Json.parse(Arrays.copyOfRange(input, 1, input.length));
    } catch (ProtocolException e) {
      return; // the server codec's to refuse: ServerCodecFuzzTest
    }
    if (!data.isObject()) {
      return; // likewise
    }
    LinkSignal signal;
    try {
      signal = Allocations.bounded(input.length, () -> LinkSignal.of(kind, data));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(signal.kind()).isEqualTo(kind);
    assertThat(LinkSignal.of(kind, signal.toJson())).isEqualTo(signal);
  }
}
