package dev.parley.client.group;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 in 64 lower-case hex digits: the hash of a group entry, of a text, of a title, and of a
 * file (docs/p2p.md).
 */
public final class Hashes {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private Hashes() {}

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** A fresh SHA-256, for what is hashed in parts (a file). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** What {@code digest} has taken in, in lower-case hex; the digest starts afresh. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Whether {@code text} is a hash: 64 lower-case hex digits. */
  public static boolean isHash(String text) {
    return HASH.matcher(text).matches();
  }
}
