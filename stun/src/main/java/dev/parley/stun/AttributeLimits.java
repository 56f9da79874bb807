package dev.parley.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The limits of RFC 8489 §14 that the attribute records check in their constructors. */
final class AttributeLimits {
  private AttributeLimits() {}

  static void resolved(InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("an address attribute needs an IP address: " + address);
    }
  }

  static void bytes(String name, String value, int max) {
    int length = value.getBytes(StandardCharsets.UTF_8).length;
    if (length > max) {
      throw new IllegalArgumentException(name + " is " + length + " bytes, over " + max);
    }
  }

  /** REALM, NONCE, SOFTWARE and a reason phrase: under 128 characters and at most 763 bytes. */
  static void text(String name, String value) {
    if (value.codePointCount(0, value.length()) >= 128) {
      throw new IllegalArgumentException(name + " has 128 characters or more");
    }
    bytes(name, value, 763);
  }

  static void length(String name, byte[] value, int min, int max) {
    if (value.length < min || value.length > max || value.length % 4 != 0) {
      throw new IllegalArgumentException(
          name + " is " + value.length + " bytes; it must be " + min + " to " + max + " by 4");
    }
  }

  static void attributeType(int type) {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("an attribute type has 16 bits, not " + type);
    }
  }
}
