package dev.parley.stun;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The 96-bit transaction id that pairs a response with its request. Random ones come from a {@link
 * SecureRandom}, as RFC 8489 §5 asks, so that an off-path attacker cannot forge a response.
 */
public final class TransactionId {
  public static final int LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private TransactionId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static TransactionId random() {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    return new TransactionId(bytes);
  }

  public static TransactionId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a transaction id has " + LENGTH + " bytes, not " + bytes.length);
    }
    return new TransactionId(bytes.clone());
  }

  /** A copy of the 12 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof TransactionId that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
