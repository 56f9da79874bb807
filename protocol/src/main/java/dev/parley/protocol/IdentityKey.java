package dev.parley.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A user's public identity key: an Ed25519 public key, written on the wire as its raw 32 bytes in
 * unpadded base64url (the form WebCrypto exports as "raw"). Ed25519 is in the JDK and in browsers'
 * WebCrypto, and its signatures are deterministic and fixed-size.
 */
public record IdentityKey(String encoded) {
  static final int RAW_LENGTH = 32;

  /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, followed by the raw key. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  public IdentityKey {
    byte[] raw = Base64Url.decode(encoded, "publicKey");
    if (raw.length != RAW_LENGTH) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "publicKey must be a raw Ed25519 key of 32 bytes");
    }
  }

  public static IdentityKey ofRaw(byte[] raw) {
    return new IdentityKey(Base64Url.encode(raw));
  }

  /** Reads the raw key out of a JDK Ed25519 public key. */
  public static IdentityKey of(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der.length != X509_PREFIX.length + RAW_LENGTH
        || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return ofRaw(Arrays.copyOfRange(der, X509_PREFIX.length, der.length));
  }

  public byte[] raw() {
    return Base64.getUrlDecoder().decode(encoded);
  }

  /** The key as a JDK public key. */
  public PublicKey toPublicKey() {
    byte[] raw = raw();
    byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + RAW_LENGTH);
    System.arraycopy(raw, 0, der, X509_PREFIX.length, RAW_LENGTH);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot read an Ed25519 key", e);
    }
  }

  /**
   * Whether {@code signature} is this key's Ed25519 signature of {@code data} (RFC 8032). Verified
   * with BouncyCastle's Ed25519, several times faster than the JDK's; the server verifies one per
   * login on an event loop, so this is its largest share of a login's CPU.
   */
  public boolean verifies(byte[] data, Signature signature) {
    return Ed25519.verify(signature.raw(), 0, raw(), 0, data, 0, data.length);
  }

  @Override
  public String toString() {
    return encoded;
  }
}
