package dev.parley.protocol;

import java.util.Base64;

/** Unpadded base64url, the encoding of every binary value on the wire. */
public final class Base64Url {
  private Base64Url() {}

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Decodes {@code text}, naming {@code field} in the error if it is not base64url, or not the one
   * spelling of its bytes: the JDK's decoder ignores the bits of the last character that carry no
   * data, so that 43 characters ending in {@code A} or in {@code B} are the same 32 bytes, and two
   * values that are one key would be unequal strings (keys are compared, pinned and stored as their
   * text).
   */
  public static byte[] decode(String text, String field) {
    if (text.indexOf('=') >= 0) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, field + " must be unpadded base64url");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, field + " must be unpadded base64url");
    }
    if (!encode(bytes).equals(text)) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD,
          field + " must be canonical base64url: the unused bits of its last character zero");
    }
    return bytes;
  }
}
