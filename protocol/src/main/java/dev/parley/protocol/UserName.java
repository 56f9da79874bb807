package dev.parley.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A user's name: 1 to 32 characters, ASCII letters, digits, {@code .}, {@code _} and {@code -},
 * starting with a letter or digit. Names are unique regardless of case: {@code Alice} and {@code
 * alice} are equal, and the spelling a user registered with is kept for display.
 *
 * <p>ASCII only, so that no two different-looking names can be confused (no homographs).
 */
public record UserName(String value) {
  public static final int MAX_LENGTH = 32;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

  public UserName {
    if (!VALID.matcher(value).matches()) {
      throw new ProtocolException(
          ErrorCode.INVALID_NAME,
          "a name is 1-32 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter"
              + " or digit");
    }
  }

  /** The case-insensitive key under which the name is unique. */
  public String key() {
    return value.toLowerCase(Locale.ROOT);
  }

  /**
   * Case-insensitive, without the lowercase copy {@link #key()} makes: names are map keys on every
   * relay and presence change. A name is ASCII, where ignoring case is exactly comparing keys.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof UserName name && value.equalsIgnoreCase(name.value);
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      hash = 31 * hash + (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    return hash;
  }

  @Override
  public String toString() {
    return value;
  }
}
