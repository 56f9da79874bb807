package dev.parley.protocol;

import java.util.Base64;

/** An Ed25519 signature: 64 bytes, unpadded base64url on the wire. */
public record Signature(String encoded) {
  static final int RAW_LENGTH = 64;

  public Signature {
    if (Base64Url.decode(encoded, "signature").length != RAW_LENGTH) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "signature must be an Ed25519 signature of 64 bytes");
    }
  }

  public static Signature ofRaw(byte[] raw) {
    return new Signature(Base64Url.encode(raw));
  }

  public byte[] raw() {
    return Base64.getUrlDecoder().decode(encoded);
  }

  @Override
  public String toString() {
    return encoded;
  }
}
