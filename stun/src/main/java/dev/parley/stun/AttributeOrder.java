package dev.parley.stun;

import java.util.List;

/**
 * The order RFC 8489 §14.5-§14.7 imposes on the checksum attributes: FINGERPRINT is last, and only
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow MESSAGE-INTEGRITY, because anything after a
 * checksum would not be covered by it (and a receiver must ignore it, so a sender must not send
 * it).
 */
final class AttributeOrder {
  private AttributeOrder() {}

  static void check(List<StunAttribute> attributes) {
    int last = 0;
    for (int i = 0; i < attributes.size(); i++) {
      StunAttribute attribute = attributes.get(i);
      int rank = rank(attribute);
      if (rank < last || (rank == last && last > 0)) {
        throw new StunFormatException(
            String.format(
                "attribute 0x%04x (number %d) comes after %s, %s",
                attribute.type(), i + 1, name(last), rule(last)));
      }
      last = rank;
    }
  }

  /** 0 for ordinary attributes, then the checksums in the order they must come in. */
  private static int rank(StunAttribute attribute) {
    return switch (attribute) {
      case StunAttribute.MessageIntegrity m -> 1;
      case StunAttribute.MessageIntegritySha256 m -> 2;
      case StunAttribute.Fingerprint f -> 3;
      default -> 0;
    };
  }

  private static String name(int rank) {
    return switch (rank) {
      case 1 -> "MESSAGE-INTEGRITY";
      case 2 -> "MESSAGE-INTEGRITY-SHA256";
      default -> "FINGERPRINT";
    };
  }

  private static String rule(int rank) {
    return switch (rank) {
      case 1 -> "which only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow";
      case 2 -> "which only FINGERPRINT may follow";
      default -> "which must be last";
    };
  }
}
