package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Only well-formed UTF-8 is decoded, whatever the JSON library would make of the rest: found by
 * fuzzing the client decoder (docs/fuzzing.md), which accepted a key of {@code FF FF} and {@code x}
 * as {@code x} once it had seen an {@code x}.
 */
class Utf8Test {

  /** {@code before}, the bytes in hex, then {@code after}. */
  private static byte[] frame(String before, String hex, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(HexFormat.of().parseHex(hex));
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void refused(byte[] frame) {
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> ClientCodec.decode(frame));
    assertThat(e).as("refused: %s", HexFormat.of().formatHex(frame)).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON);
  }

  @Test
  void malformedSequencesAreFoundWhereTheyStart() {
    for (String hex :
        new String[] {
          "80",
          "c0af",
          "c191",
          "e08080",
          "eda080",
          "f08f8080",
          "f4908080",
          "f5808080",
          "fe",
          "ff",
          "c3",
          "e282",
          "f09f98",
          "c341"
        }) {
      assertThat(Utf8.firstMalformed(HexFormat.of().parseHex("41" + hex)))
          .as("41 %s", hex)
          .isEqualTo(1);
    }
  }

  /** Within runs of ASCII long enough for the eight-byte steps, at every offset of a word. */
  @Test
  void sequencesAreJudgedTheSameAtEveryPlaceInALongRunOfAscii() {
    String[] malformed = {"80", "c0af", "eda080", "f4908080", "ff", "c341"};
    String[] wellFormed = {"c280", "e0a080", "efbfbf", "f09f9880"};
    for (int at = 0; at < 24; at++) {
      for (String hex : malformed) {
        byte[] bytes = ascii(at, hex, 20);
        assertThat(Utf8.firstMalformed(bytes)).as("%s at %d", hex, at).isEqualTo(at);
      }
      for (String hex : wellFormed) {
        byte[] bytes = ascii(at, hex + hex, 20);
        assertThat(Utf8.firstMalformed(bytes)).as("%s at %d", hex, at).isEqualTo(-1);
      }
      assertThat(Utf8.firstMalformed(ascii(at, "", 0))).isEqualTo(-1);
    }
  }

  /** Against the JDK's own strict decoder, on mostly ASCII bytes with some high ones. */
  @Test
  void agreesWithTheJdksDecoderOnRandomBytes() {
    java.util.Random random = new java.util.Random(17);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            (byte) (random.nextInt(10) == 0 ? 0x80 + random.nextInt(128) : random.nextInt(128));
      }
      boolean jdk;
      try {
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes));
        jdk = true;
      } catch (java.nio.charset.CharacterCodingException e) {
        jdk = false;
      }
      assertThat(Utf8.firstMalformed(bytes) == -1)
          .as("%s", HexFormat.of().formatHex(bytes))
          .isEqualTo(jdk);
    }
  }

  /** {@code at} bytes of ASCII, the bytes of {@code hex}, then {@code after} more ASCII. */
  private static byte[] ascii(int at, String hex, int after) {
    byte[] middle = HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[at + middle.length + after];
    java.util.Arrays.fill(bytes, (byte) 'a');
    System.arraycopy(middle, 0, bytes, at, middle.length);
    return bytes;
  }

  @Test
  void everyWellFormedSequenceIsAccepted() {
    for (String hex :
        new String[] {"", "7f", "c280", "dfbf", "e0a080", "ed9fbf", "ee8080", "efbfbf"}) {
      assertThat(Utf8.firstMalformed(HexFormat.of().parseHex(hex))).as(hex).isEqualTo(-1);
    }
    for (String hex : new String[] {"f0908080", "f48fbfbf", "f09f9880"}) {
      assertThat(Utf8.firstMalformed(HexFormat.of().parseHex(hex))).as(hex).isEqualTo(-1);
    }
  }

  @Test
  void aKeyThatMatchesASeenKeyOnlyOnceItsBytesArePaddedIsRefused() {
    ClientCodec.decode("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"x\":0}}");

    refused(frame("{\"type\":\"offer\",\"", "ffff", "to\":\"bob\",\"data\":{}}"));
    refused(frame("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"", "ffff", "x\":0}}"));
  }

  @Test
  void overlongFormsAndCodePointsPastUnicodeAreRefusedInKeysAndValues() {
    refused(frame("{\"", "c1b4", "ype\":\"ping\"}")); // an overlong 't'
    refused(frame("{\"type\":\"ping\",\"s\":\"", "c0af", "\"}")); // an overlong '/'
    refused(frame("{\"type\":\"ping\",\"s\":\"", "f4908080", "\"}"));
    refused(frame("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{\"s\":\"", "e08080", "\"}}"));
  }
}
