package dev.parley.stun;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A STUN attribute: the typed ones Parley reads or writes, and {@link Unknown} for the rest, kept
 * raw so that a receiver can tell comprehension-required ones (type below 0x8000) from optional
 * ones. Each record checks the limits RFC 8489 §14 sets, so a decoded attribute is a valid one.
 */
public sealed interface StunAttribute
    permits StunAttribute.AddressAttribute,
        StunAttribute.Username,
        StunAttribute.Realm,
        StunAttribute.Nonce,
        StunAttribute.Software,
        StunAttribute.ErrorCode,
        StunAttribute.UnknownAttributes,
        StunAttribute.Lifetime,
        StunAttribute.RequestedTransport,
        StunAttribute.Padding,
        StunAttribute.MessageIntegrity,
        StunAttribute.MessageIntegritySha256,
        StunAttribute.Fingerprint,
        StunAttribute.Unknown {
  int MAPPED_ADDRESS = 0x0001;
  int USERNAME = 0x0006;
  int MESSAGE_INTEGRITY = 0x0008;
  int ERROR_CODE = 0x0009;
  int UNKNOWN_ATTRIBUTES = 0x000A;
  int LIFETIME = 0x000D;
  int XOR_PEER_ADDRESS = 0x0012;
  int REALM = 0x0014;
  int NONCE = 0x0015;
  int XOR_RELAYED_ADDRESS = 0x0016;
  int REQUESTED_TRANSPORT = 0x0019;
  int MESSAGE_INTEGRITY_SHA256 = 0x001C;
  int XOR_MAPPED_ADDRESS = 0x0020;
  int PADDING = 0x0026;
  int SOFTWARE = 0x8022;
  int FINGERPRINT = 0x8028;
  int RESPONSE_ORIGIN = 0x802B;
  int OTHER_ADDRESS = 0x802C;

  /** The 16-bit attribute type. */
  int type();

  /** Whether an agent that does not know this type must refuse the message (RFC 8489 §14). */
  default boolean comprehensionRequired() {
    return type() < 0x8000;
  }

  /** A transport address; the XOR forms are obfuscated on the wire, not here. */
  sealed interface AddressAttribute extends StunAttribute {
    InetSocketAddress address();
  }

  record MappedAddress(InetSocketAddress address) implements AddressAttribute {
    public MappedAddress {
      AttributeLimits.resolved(address);
    }

    @Override
    public int type() {
      return MAPPED_ADDRESS;
    }
  }

  record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {
    public XorMappedAddress {
      AttributeLimits.resolved(address);
    }

    @Override
    public int type() {
      return XOR_MAPPED_ADDRESS;
    }
  }

  /** The relayed transport address a TURN server allocated (RFC 8656 §18.5). */
  record XorRelayedAddress(InetSocketAddress address) implements AddressAttribute {
    public XorRelayedAddress {
      AttributeLimits.resolved(address);
    }

    @Override
    public int type() {
      return XOR_RELAYED_ADDRESS;
    }
  }

  record XorPeerAddress(InetSocketAddress address) implements AddressAttribute {
    public XorPeerAddress {
      AttributeLimits.resolved(address);
    }

    @Override
    public int type() {
      return XOR_PEER_ADDRESS;
    }
  }

  /** The address the server sent the response from (RFC 5780 §7.3). */
  record ResponseOrigin(InetSocketAddress address) implements AddressAttribute {
    public ResponseOrigin {
      AttributeLimits.resolved(address);
    }

    @Override
    public int type() {
      return RESPONSE_ORIGIN;
    }
  }

  /** The server's other address, for NAT behaviour discovery (RFC 5780 §7.4). */
  record OtherAddress(InetSocketAddress address) implements AddressAttribute {
    public OtherAddress {
      AttributeLimits.resolved(address);
    }

    @Override
    public int type() {
      return OTHER_ADDRESS;
    }
  }

  /** At most 512 bytes of UTF-8 (RFC 8489 §14.3); SASLprep is not applied, see {@link StunKeys}. */
  record Username(String value) implements StunAttribute {
    public Username {
      AttributeLimits.bytes("USERNAME", value, 512);
    }

    @Override
    public int type() {
      return USERNAME;
    }
  }

  record Realm(String value) implements StunAttribute {
    public Realm {
      AttributeLimits.text("REALM", value);
    }

    @Override
    public int type() {
      return REALM;
    }
  }

  record Nonce(String value) implements StunAttribute {
    public Nonce {
      AttributeLimits.text("NONCE", value);
    }

    @Override
    public int type() {
      return NONCE;
    }
  }

  record Software(String value) implements StunAttribute {
    public Software {
      AttributeLimits.text("SOFTWARE", value);
    }

    @Override
    public int type() {
      return SOFTWARE;
    }
  }

  /**
   * An error: {@code code} is the class (3 to 6) times 100 plus the number (0 to 99), as in 401.
   */
  record ErrorCode(int code, String reason) implements StunAttribute {
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int STALE_NONCE = 438;

    public ErrorCode {
      if (code < 300 || code > 699) {
        throw new IllegalArgumentException("an ERROR-CODE is from 300 to 699, not " + code);
      }
      AttributeLimits.text("ERROR-CODE reason", reason);
    }

    @Override
    public int type() {
      return ERROR_CODE;
    }
  }

  /** The comprehension-required types a server did not understand, in a 420 response. */
  record UnknownAttributes(List<Integer> types) implements StunAttribute {
    public UnknownAttributes {
      types = List.copyOf(types);
      types.forEach(AttributeLimits::attributeType);
    }

    @Override
    public int type() {
      return UNKNOWN_ATTRIBUTES;
    }
  }

  /** A TURN allocation's lifetime in seconds, an unsigned 32-bit number; 0 releases it. */
  record Lifetime(long seconds) implements StunAttribute {
    public Lifetime {
      if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("a LIFETIME is an unsigned 32-bit number: " + seconds);
      }
    }

    @Override
    public int type() {
      return LIFETIME;
    }
  }

  /** The relay's transport, as an IP protocol number: only UDP (17) in RFC 8656. */
  record RequestedTransport(int protocol) implements StunAttribute {
    public static final int UDP = 17;

    public RequestedTransport {
      if (protocol < 0 || protocol > 0xFF) {
        throw new IllegalArgumentException("a protocol number has 8 bits, not " + protocol);
      }
    }

    @Override
    public int type() {
      return REQUESTED_TRANSPORT;
    }
  }

  /**
   * {@code length} bytes of padding (RFC 5780 §7.6) whose content means nothing; a client sends it
   * to make its request as large as the response it wants.
   */
  record Padding(int length) implements StunAttribute {
    public Padding {
      if (length < 0 || length > StunMessage.MAX_LENGTH) {
        throw new IllegalArgumentException("PADDING cannot hold " + length + " bytes");
      }
    }

    @Override
    public int type() {
      return PADDING;
    }
  }

  /**
   * An HMAC-SHA1 over the message before it (RFC 8489 §14.5). Build one with {@link
   * StunMessage#withIntegrity}, check one with {@link StunMessage#verifyIntegrity}.
   */
  @SuppressWarnings("ArrayRecordComponent") // copied in and out, compared by content
  record MessageIntegrity(byte[] hmac) implements StunAttribute {
    public static final int LENGTH = 20;

    public MessageIntegrity {
      AttributeLimits.length("MESSAGE-INTEGRITY", hmac, LENGTH, LENGTH);
      hmac = hmac.clone();
    }

    @Override
    public byte[] hmac() {
      return hmac.clone();
    }

    @Override
    public int type() {
      return MESSAGE_INTEGRITY;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof MessageIntegrity that && Arrays.equals(hmac, that.hmac);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
      return "MessageIntegrity[" + HexFormat.of().formatHex(hmac) + "]";
    }
  }

  /**
   * An HMAC-SHA256, possibly truncated to 16 to 32 bytes (RFC 8489 §14.6). Read and kept in order,
   * but not verified: Parley's peers use MESSAGE-INTEGRITY.
   */
  @SuppressWarnings("ArrayRecordComponent") // copied in and out, compared by content
  record MessageIntegritySha256(byte[] hmac) implements StunAttribute {
    public MessageIntegritySha256 {
      AttributeLimits.length("MESSAGE-INTEGRITY-SHA256", hmac, 16, 32);
      hmac = hmac.clone();
    }

    @Override
    public byte[] hmac() {
      return hmac.clone();
    }

    @Override
    public int type() {
      return MESSAGE_INTEGRITY_SHA256;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof MessageIntegritySha256 that && Arrays.equals(hmac, that.hmac);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
      return "MessageIntegritySha256[" + HexFormat.of().formatHex(hmac) + "]";
    }
  }

  /**
   * The CRC-32 of the message before it, XOR 0x5354554e (RFC 8489 §14.7); always the last
   * attribute. Build one with {@link StunMessage#withFingerprint}.
   */
  record Fingerprint(int crc) implements StunAttribute {
    @Override
    public int type() {
      return FINGERPRINT;
    }
  }

  /** An attribute this codec does not interpret; {@code value} is a copy, without padding. */
  @SuppressWarnings("ArrayRecordComponent") // copied in and out, compared by content
  record Unknown(int type, byte[] value) implements StunAttribute {
    public Unknown {
      AttributeLimits.attributeType(type);
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Unknown that && type == that.type && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return String.format("Unknown[type=0x%04x, %d bytes]", type, value.length);
    }
  }
}
