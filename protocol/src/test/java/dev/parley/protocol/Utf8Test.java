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
