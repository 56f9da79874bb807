package dev.parley.stun;

import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.MessageIntegrity;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A STUN message (RFC 8489 §5): a type, a transaction id and attributes in their wire order.
 *
 * <p>{@link #decode} checks every rule of the format before it returns, so the rest of Parley never
 * reads a half-valid message; {@link #encode} writes exactly what {@code decode} accepts. The two
 * attributes computed over the bytes before them are appended by {@link #withIntegrity} and {@link
 * #withFingerprint}, and checked on the received bytes by {@link #verifyIntegrity} and {@link
 * #verifyFingerprint}: on the bytes, not on this record, because a sender may fill padding with
 * anything (RFC 5769's vectors use spaces) and the checksums cover it.
 */
public record StunMessage(
    MessageType type, TransactionId transactionId, List<StunAttribute> attributes) {
  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int HEADER_LENGTH = 20;

  /**
   * The largest message, in bytes, that this codec reads or writes. RFC 8489 §6.1 asks a UDP sender
   * to stay within the path MTU and, not knowing it, within 576 (IPv4) or 1280 (IPv6) bytes for the
   * whole IP packet; so no well-behaved agent sends a larger STUN message, and refusing larger ones
   * bounds what one datagram can make the server parse. TURN's Allocate and Refresh exchanges take
   * a few hundred bytes, so the same bound serves TCP and TLS.
   */
  public static final int MAX_LENGTH = 1280;

  public StunMessage {
    attributes = List.copyOf(attributes);
    AttributeOrder.check(attributes);
  }

  /** A new request of {@code method} with a fresh random transaction id and no attributes. */
  public static StunMessage request(int method) {
    return new StunMessage(
        MessageType.of(method, MessageType.MessageClass.REQUEST),
        TransactionId.random(),
        List.of());
  }

  /** This message with {@code more} appended after the attributes it has. */
  public StunMessage with(StunAttribute... more) {
    List<StunAttribute> all = new ArrayList<>(attributes);
    all.addAll(Arrays.asList(more));
    return new StunMessage(type, transactionId, all);
  }

  /** The first attribute of {@code kind}; RFC 8489 lets a receiver ignore later duplicates. */
  public <T extends StunAttribute> Optional<T> attribute(Class<T> kind) {
    return attributes.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }

  /** The types of the unknown attributes that a receiver must understand (type below 0x8000). */
  public List<Integer> unknownComprehensionRequired() {
    return attributes.stream()
        .filter(attribute -> attribute instanceof StunAttribute.Unknown)
        .filter(StunAttribute::comprehensionRequired)
        .map(StunAttribute::type)
        .distinct()
        .toList();
  }

  /**
   * The message on the wire, with zero padding.
   *
   * @throws StunFormatException if it would be longer than {@link #MAX_LENGTH}
   */
  public byte[] encode() {
    return MessageCodec.encode(this);
  }

  /** This message with a MESSAGE-INTEGRITY computed with {@code key} (see {@link StunKeys}). */
  public StunMessage withIntegrity(byte[] key) {
    byte[] before = encode();
    return with(
        new MessageIntegrity(Checksums.hmacSha1(key, ByteBuffer.wrap(before), before.length)));
  }

  /** This message with a FINGERPRINT, which must come last. */
  public StunMessage withFingerprint() {
    byte[] before = encode();
    return with(new Fingerprint(Checksums.fingerprint(ByteBuffer.wrap(before), before.length)));
  }

  /**
   * Reads a whole datagram (or one framed message from a stream).
   *
   * @throws StunFormatException naming the first rule the bytes break
   */
  public static StunMessage decode(byte[] datagram) {
    return decode(ByteBuffer.wrap(datagram));
  }

  /** Reads the buffer's remaining bytes as one message, leaving its position where it was. */
  public static StunMessage decode(ByteBuffer datagram) {
    return MessageCodec.decode(datagram.slice());
  }

  /**
   * Whether the message in {@code datagram} ends with a FINGERPRINT that matches its bytes; false
   * if it has none.
   *
   * @throws StunFormatException if the datagram is not a well-formed message
   */
  public static boolean verifyFingerprint(byte[] datagram) {
    return verifyFingerprint(ByteBuffer.wrap(datagram));
  }

  public static boolean verifyFingerprint(ByteBuffer datagram) {
    decode(datagram);
    return Checksums.fingerprintMatches(datagram.slice());
  }

  /**
   * Whether the message in {@code datagram} has a MESSAGE-INTEGRITY that {@code key} produces;
   * false if it has none.
   *
   * @throws StunFormatException if the datagram is not a well-formed message
   */
  public static boolean verifyIntegrity(byte[] datagram, byte[] key) {
    return verifyIntegrity(ByteBuffer.wrap(datagram), key);
  }

  public static boolean verifyIntegrity(ByteBuffer datagram, byte[] key) {
    decode(datagram);
    return Checksums.integrityMatches(datagram.slice(), key);
  }
}
