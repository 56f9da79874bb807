package dev.parley.client.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.testkit.Allocations;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of what a peer sends on a link's data channel (docs/fuzzing.md): a text
 * message, read from its UTF-8 bytes as the channel reads it, is a control message or a batch of
 * them, skipped as a type from a newer peer, or refused with the {@link IllegalArgumentException}
 * the link logs and ignores (in a batch, each malformed message alone); a binary message is a
 * {@link FileChunk} or refused the same way. Nothing else escapes, within a memory budget linear in
 * the message, and what is read encodes back to itself.
 */
@Timeout(10)
class ChannelMessageFuzzTest {

  @FuzzTest
  void anyTextMessageIsReadSkippedOrRefused(byte[] bytes) {
    String text = new String(bytes, UTF_8);
    List<String> malformed = new ArrayList<>();
    List<ChannelMessage> messages;
    try {
      messages =
          Allocations.bounded(bytes.length, () -> ChannelMessage.decodeAll(text, malformed::add));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(malformed).allSatisfy(why -> assertThat(why).isNotBlank());
    for (ChannelMessage read : messages) {
      assertThat(ChannelMessage.decode(read.encode())).as("re-read").contains(read);
    }
  }

  @FuzzTest
  void anyBinaryMessageIsAChunkOrRefused(byte[] bytes) {
    FileChunk chunk;
    try {
      chunk = FileChunk.decode(ByteBuffer.wrap(bytes));
    } catch (IllegalArgumentException e) {
      assertThat(bytes.length < 16 || bytes.length > 16 + FileChunk.MAX_DATA).isTrue();
      return;
    }
    assertThat(chunk.data().remaining()).isEqualTo(bytes.length - 16);
    byte[] data = new byte[chunk.data().remaining()];
    chunk.data().duplicate().get(data);
    ByteBuffer again = FileChunk.encode(chunk.file(), data, 0, data.length);
    assertThat(again).isEqualTo(ByteBuffer.wrap(bytes));
  }
}
