package dev.parley.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MESSAGE-INTEGRITY keys of RFC 8489 §9.
 *
 * <p>The RFC runs the password (and, for the long-term key, username and realm) through SASLprep
 * (RFC 4013) first. Parley does not: its TURN usernames and passwords are ASCII made by its own
 * server (a Unix time, a name, a base64 HMAC), which SASLprep leaves as they are. A caller with
 * other text must prepare it first; RFC 5769's long-term vector shows the difference.
 */
public final class StunKeys {
  private StunKeys() {}

  /** MD5(username ":" realm ":" password), the long-term credential key (§9.2.2). */
  public static byte[] longTerm(String username, String realm, String password) {
    try {
      return MessageDigest.getInstance("MD5")
          .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  /** The password's UTF-8 bytes, the short-term credential key (§9.1.1), as ICE uses. */
  public static byte[] shortTerm(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }
}
