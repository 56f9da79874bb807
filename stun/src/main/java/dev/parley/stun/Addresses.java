package dev.parley.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The address attributes' value (RFC 8489 §14.1, §14.2): a zero byte, the family (1 for IPv4, 2 for
 * IPv6), the port and the address. The XOR forms mask the port with the cookie's top half and the
 * address with the cookie, then (IPv6) the transaction id, so that NATs that rewrite addresses they
 * see in payloads leave them alone.
 */
final class Addresses {
  static final int IPV4 = 0x01;
  static final int IPV6 = 0x02;

  private Addresses() {}

  /** The value's length for this address: 8 for IPv4, 20 for IPv6. */
  static int valueLength(InetSocketAddress address) {
    return 4 + address.getAddress().getAddress().length;
  }

  /** Encodes {@code address}, masked with {@code id} if given, plain if null. */
  static byte[] encode(InetSocketAddress address, @Nullable TransactionId id) {
    byte[] ip = address.getAddress().getAddress();
    mask(ip, id);
    int port = address.getPort() ^ (id == null ? 0 : StunMessage.MAGIC_COOKIE >>> 16);
    return ByteBuffer.allocate(4 + ip.length)
        .put((byte) 0)
        .put((byte) (ip.length == 4 ? IPV4 : IPV6))
        .putShort((short) port)
        .put(ip)
        .array();
  }

  /** Decodes an address value, unmasking with {@code id} if given; the first byte is ignored. */
  static InetSocketAddress decode(ByteBuffer value, @Nullable TransactionId id) {
    int length = value.remaining();
    if (length < 4) {
      throw new StunFormatException("an address value of " + length + " bytes");
    }
    value.get();
    int family = value.get() & 0xFF;
    int port = (value.getShort() & 0xFFFF) ^ (id == null ? 0 : StunMessage.MAGIC_COOKIE >>> 16);
    int expected =
        switch (family) {
          case IPV4 -> 8;
          case IPV6 -> 20;
          default -> throw new StunFormatException("an unknown address family " + family);
        };
    if (length != expected) {
      throw new StunFormatException(
          "an address of family " + family + " in " + length + " bytes, not " + expected);
    }
    byte[] ip = new byte[expected - 4];
    value.get(ip);
    mask(ip, id);
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an IP address", e);
    }
  }

  /** XORs {@code ip} in place with the magic cookie followed by the transaction id. */
  private static void mask(byte[] ip, @Nullable TransactionId id) {
    if (id == null) {
      return;
    }
    byte[] mask = ByteBuffer.allocate(16).putInt(StunMessage.MAGIC_COOKIE).put(id.bytes()).array();
    for (int i = 0; i < ip.length; i++) {
      ip[i] ^= mask[i];
    }
  }
}
