package dev.parley.server.directory;

import dev.parley.protocol.InviteCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Makes invite codes, and the hashes the directory keeps instead of them. A code is 80 random bits
 * written as 16 characters of Crockford's base32 in groups of four, {@code 7K2M-QX9D-R4TB-WN8H}:
 * short enough to read out or type, with no I, L, O or U to mistake. A typed code is read
 * leniently: case, spaces and dashes do not matter, and O, I and L count as 0, 1 and 1.
 *
 * <p>Only SHA-256 of a code is stored. Neither salt nor a slow hash is needed: 80 random bits
 * cannot be tried offline, and a plain hash lets a login find its invite by key.
 */
public final class InviteCodes {
  /** How long a code lasts unless its maker says otherwise. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);

  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final int LENGTH = 16; // 5 bits a character
  private static final int GROUP = 4;

  private InviteCodes() {}

  /** A new code, to hand to the person invited, and the invite the directory is to keep for it. */
  public record Made(InviteCode code, Invite invite) {}

  /**
   * A code from {@code random} (a {@code SecureRandom} outside tests), usable for {@code lifetime}.
   */
  public static Made make(RandomGenerator random, Instant now, Duration lifetime) {
    StringBuilder code = new StringBuilder(LENGTH + LENGTH / GROUP);
    for (int i = 0; i < LENGTH; i++) {
      if (i > 0 && i % GROUP == 0) {
        code.append('-');
      }
      code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    InviteCode made = new InviteCode(code.toString());
    return new Made(made, new Invite(hash(made), now, now.plus(lifetime)));
  }

  /**
   * Makes {@code count} codes usable for {@code lifetime} from {@code now} and stores their invites
   * in {@code directory}, all or none; the codes are returned, and known nowhere else.
   */
  public static List<InviteCode> issue(
      Directory directory, int count, Duration lifetime, Instant now) {
    if (count < 1) {
      throw new IllegalArgumentException("make at least one invite code");
    }
    SecureRandom random = new SecureRandom();
    List<Made> made = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      made.add(make(random, now, lifetime));
    }
    directory.addInvites(made.stream().map(Made::invite).toList());
    return made.stream().map(Made::code).toList();
  }

  /** What the directory keeps of {@code code}: SHA-256 of its canonical form, in hex. */
  public static String hash(InviteCode code) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical(code.value()).getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The code as made, whatever case, separators and look-alike letters it was typed with. */
  static String canonical(String typed) {
    StringBuilder canonical = new StringBuilder(typed.length());
    for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '-', ' ' -> {}
        case 'O' -> canonical.append('0');
        case 'I', 'L' -> canonical.append('1');
        default -> canonical.append(c);
      }
    }
    return canonical.toString();
  }
}
