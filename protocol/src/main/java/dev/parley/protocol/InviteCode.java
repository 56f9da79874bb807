package dev.parley.protocol;

/**
 * An invite code as a person typed it, sent with a login to register a new name on a server that
 * takes new names by invitation only. The server makes the codes and decides what matches (case,
 * spaces and dashes do not matter there); here a code is only bounded: 1 to {@value #MAX_LENGTH}
 * printable ASCII characters.
 */
public record InviteCode(String value) {
  public static final int MAX_LENGTH = 64;

  public InviteCode {
    if (value.isEmpty()
        || value.length() > MAX_LENGTH
        || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "an invite code is 1-" + MAX_LENGTH + " printable ASCII characters");
    }
  }

  /** Not the code: it is as good as a password until it is used, and should not reach a log. */
  @Override
  public String toString() {
    return "InviteCode[" + value.length() + " characters]";
  }
}
