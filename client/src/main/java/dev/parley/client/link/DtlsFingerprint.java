package dev.parley.client.link;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.Signature;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DTLS certificate fingerprint of an SDP ({@code a=fingerprint:} lines, RFC 8122) and the
 * signature that binds it to an identity key. Signing it lets the peer check, before connecting,
 * that the certificate the DTLS handshake will present belongs to who the server says is there.
 */
public final class DtlsFingerprint {
  static final String CONTEXT = "parley-dtls-v1";
  private static final String ATTRIBUTE = "a=fingerprint:";
  private static final Pattern VALUE =
      Pattern.compile("([A-Za-z0-9-]+)\\s+((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})");
  private static final Set<String> HASHES = Set.of("sha-256", "sha-384", "sha-512");

  private DtlsFingerprint() {}

  /**
   * The SDP's fingerprint, normalized: the hash function in lower case, one space, the hex bytes in
   * upper case ({@code sha-256 AB:CD:...}). Every {@code a=fingerprint:} line must agree.
   *
   * @throws FingerprintMismatchException if there is none, several differ, or the hash is weak
   */
  public static String of(String sdp) {
    Set<String> found = new TreeSet<>();
    for (String line : sdp.lines().toList()) {
      if (line.regionMatches(true, 0, ATTRIBUTE, 0, ATTRIBUTE.length())) {
        found.add(normalize(line.substring(ATTRIBUTE.length()).strip()));
      }
    }
    if (found.size() != 1) {
      throw new FingerprintMismatchException(
          found.isEmpty()
              ? "the SDP has no DTLS fingerprint"
              : "the SDP has several different DTLS fingerprints: " + found);
    }
    return found.iterator().next();
  }

  private static String normalize(String value) {
    Matcher parts = VALUE.matcher(value);
    if (!parts.matches() || !HASHES.contains(parts.group(1).toLowerCase(Locale.ROOT))) {
      throw new FingerprintMismatchException("unusable DTLS fingerprint: " + value);
    }
    return parts.group(1).toLowerCase(Locale.ROOT) + " " + parts.group(2).toUpperCase(Locale.ROOT);
  }

  /**
   * The signed bytes: UTF-8 lines {@code parley-dtls-v1}, sender, addressee (both names in lower
   * case), link id and fingerprint, each followed by a newline.
   */
  public static byte[] payload(UserName from, UserName to, String link, String fingerprint) {
    String text =
        CONTEXT + "\n" + from.key() + "\n" + to.key() + "\n" + link + "\n" + fingerprint + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Signs the fingerprint of our own {@code sdp}, sent from {@code from} to {@code to}. */
  public static Signature sign(
      Identity identity, UserName from, UserName to, String link, String sdp) {
    return identity.sign(payload(from, to, link, of(sdp)));
  }

  /**
   * Checks that {@code signature} is {@code key}'s signature of the fingerprint of {@code sdp},
   * sent by {@code from} to {@code to} for {@code link}.
   *
   * @throws FingerprintMismatchException if it is not
   */
  public static void verify(
      IdentityKey key, UserName from, UserName to, String link, String sdp, Signature signature) {
    String fingerprint = of(sdp);
    if (!key.verifies(payload(from, to, link, fingerprint), signature)) {
      throw new FingerprintMismatchException(
          "the DTLS fingerprint of "
              + from
              + " ("
              + fingerprint
              + ") is not signed by the identity key pinned for "
              + from
              + "; refusing the link");
    }
  }
}
