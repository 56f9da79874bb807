package dev.parley.stun;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 text values, decoded strictly: a malformed sequence is a malformed message. */
final class Texts {
  private Texts() {}

  static byte[] encode(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String decode(ByteBuffer value) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(value)
          .toString();
    } catch (CharacterCodingException e) {
      throw new StunFormatException("text that is not UTF-8: " + e.getMessage());
    }
  }
}
