package dev.parley.protocol;

import java.util.Base64;

/** Unpadded base64url, the encoding of every binary value on the wire. */
public final class Base64Url {
  private Base64Url() {}

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decodes {@code text}, naming {@code field} in the error if it is not base64url. */
  public static byte[] decode(String text, String field) {
    if (text.indexOf('=') >= 0) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, field + " must be unpadded base64url");
    }
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, field + " must be unpadded base64url");
    }
  }
}
