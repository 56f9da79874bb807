package dev.parley.client.chat;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The number two users compare out of band to check that each has the other's real key
 * (docs/p2p.md, "Safety numbers"): 60 digits in 12 groups, the same on both sides and in every
 * Parley client.
 */
public final class SafetyNumber {
  private SafetyNumber() {}

  public static String of(UserName a, IdentityKey aKey, UserName b, IdentityKey bKey) {
    boolean aFirst = a.key().compareTo(b.key()) <= 0;
    String payload =
        aFirst
            ? "parley-safety-v1\n"
                + a.key()
                + "\n"
                + aKey.encoded()
                + "\n"
                + b.key()
                + "\n"
                + bKey.encoded()
                + "\n"
            : "parley-safety-v1\n"
                + b.key()
                + "\n"
                + bKey.encoded()
                + "\n"
                + a.key()
                + "\n"
                + aKey.encoded()
                + "\n";
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-512").digest(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-512", e);
    }
    StringBuilder number = new StringBuilder(71);
    for (int group = 0; group < 12; group++) {
      long value = 0;
      for (int i = 0; i < 5; i++) {
        value = (value << 8) | (digest[group * 5 + i] & 0xff);
      }
      if (group > 0) {
        number.append(' ');
      }
      number.append(String.format("%05d", value % 100_000));
    }
    return number.toString();
  }
}
