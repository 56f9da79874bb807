package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the messages a batch from another node holds, and refusing one that does not parse. */
class BatchesTest {
  @Test
  void aMessageThatIsNoBatchIsItsOwnOnlyEntry() {
    assertThat(entries(bytes("D\nann\n{\"x\":1}"))).containsExactly("D\nann\n{\"x\":1}");
  }

  @Test
  void aBatchHoldsItsMessagesInOrder() {
    byte[] batch = batch("D\nann\nfirst", "P\npeer\nsecond", "D\nbob\nthird");
    assertThat(entries(batch)).containsExactly("D\nann\nfirst", "P\npeer\nsecond", "D\nbob\nthird");
  }

  @Test
  void aBatchCutShortPassesOnWhatItHeldAndThenRefusesTheRest() {
    byte[] whole = batch("D\nann\nfirst", "D\nbob\nsecond");
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
    List<String> seen = new ArrayList<>();
    assertThatThrownBy(() -> Batches.split(cut, (b, at, length) -> seen.add(text(b, at, length))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than itself");
    assertThat(seen).containsExactly("D\nann\nfirst");
  }

  @Test
  void malformedBatchesAreRefusedWithoutReadingPastTheirEnd() {
    assertThatThrownBy(() -> entries(new byte[0])).hasMessageContaining("empty");
    assertThatThrownBy(() -> entries(bytes("B"))).hasMessageContaining("new line");
    assertThatThrownBy(() -> entries(bytes("Bx"))).hasMessageContaining("new line");
    assertThatThrownBy(() -> entries(new byte[] {'B', '\n', 0, 0}))
        .hasMessageContaining("inside the length");
    assertThatThrownBy(() -> entries(new byte[] {'B', '\n', 0, 0, 0, 0}))
        .hasMessageContaining("longer than itself");
    assertThatThrownBy(() -> entries(new byte[] {'B', '\n', (byte) 0xff, 0, 0, 1, 'D'}))
        .hasMessageContaining("longer than itself");
    assertThat(entries(bytes("B\n"))).isEmpty();
  }

  private static List<String> entries(byte[] message) {
    List<String> entries = new ArrayList<>();
    Batches.split(message, (bytes, at, length) -> entries.add(text(bytes, at, length)));
    return entries;
  }

  /** A batch as {@code Batches} writes one. */
  private static byte[] batch(String... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes("B\n"));
    for (String message : messages) {
      byte[] entry = bytes(message);
      out.write(entry.length >>> 24);
      out.write(entry.length >>> 16);
      out.write(entry.length >>> 8);
      out.write(entry.length);
      out.writeBytes(entry);
    }
    return out.toByteArray();
  }

  private static String text(byte[] bytes, int at, int length) {
    return new String(bytes, at, length, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
