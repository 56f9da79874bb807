package dev.parley.stun;

import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.Fingerprint;
import dev.parley.stun.StunAttribute.Lifetime;
import dev.parley.stun.StunAttribute.MappedAddress;
import dev.parley.stun.StunAttribute.MessageIntegrity;
import dev.parley.stun.StunAttribute.MessageIntegritySha256;
import dev.parley.stun.StunAttribute.Nonce;
import dev.parley.stun.StunAttribute.OtherAddress;
import dev.parley.stun.StunAttribute.Padding;
import dev.parley.stun.StunAttribute.Realm;
import dev.parley.stun.StunAttribute.RequestedTransport;
import dev.parley.stun.StunAttribute.ResponseOrigin;
import dev.parley.stun.StunAttribute.Software;
import dev.parley.stun.StunAttribute.Unknown;
import dev.parley.stun.StunAttribute.UnknownAttributes;
import dev.parley.stun.StunAttribute.Username;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import dev.parley.stun.StunAttribute.XorPeerAddress;
import dev.parley.stun.StunAttribute.XorRelayedAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The value part of each attribute's TLV, both ways; the message codec adds type and length. */
final class AttributeCodec {
  private AttributeCodec() {}

  static byte[] encode(StunAttribute attribute, TransactionId id) {
    return switch (attribute) {
      case MappedAddress a -> Addresses.encode(a.address(), null);
      case ResponseOrigin a -> Addresses.encode(a.address(), null);
      case OtherAddress a -> Addresses.encode(a.address(), null);
      case XorMappedAddress a -> Addresses.encode(a.address(), id);
      case XorRelayedAddress a -> Addresses.encode(a.address(), id);
      case XorPeerAddress a -> Addresses.encode(a.address(), id);
      case Username a -> Texts.encode(a.value());
      case Realm a -> Texts.encode(a.value());
      case Nonce a -> Texts.encode(a.value());
      case Software a -> Texts.encode(a.value());
      case ErrorCode a -> errorCode(a);
      case UnknownAttributes a -> unknownAttributes(a);
      case Lifetime a -> ByteBuffer.allocate(4).putInt((int) a.seconds()).array();
      case RequestedTransport a -> new byte[] {(byte) a.protocol(), 0, 0, 0};
      case Padding a -> new byte[a.length()];
      case MessageIntegrity a -> a.hmac();
      case MessageIntegritySha256 a -> a.hmac();
      case Fingerprint a -> ByteBuffer.allocate(4).putInt(a.crc()).array();
      case Unknown a -> a.value();
    };
  }

  /**
   * Reads the value of an attribute of {@code type}; {@code value} holds exactly its bytes.
   *
   * @throws StunFormatException if the value breaks its attribute's rules
   */
  static StunAttribute decode(int type, ByteBuffer value, TransactionId id) {
    try {
      return switch (type) {
        case StunAttribute.MAPPED_ADDRESS -> new MappedAddress(Addresses.decode(value, null));
        case StunAttribute.RESPONSE_ORIGIN -> new ResponseOrigin(Addresses.decode(value, null));
        case StunAttribute.OTHER_ADDRESS -> new OtherAddress(Addresses.decode(value, null));
        case StunAttribute.XOR_MAPPED_ADDRESS -> new XorMappedAddress(Addresses.decode(value, id));
        case StunAttribute.XOR_RELAYED_ADDRESS ->
            new XorRelayedAddress(Addresses.decode(value, id));
        case StunAttribute.XOR_PEER_ADDRESS -> new XorPeerAddress(Addresses.decode(value, id));
        case StunAttribute.USERNAME -> new Username(Texts.decode(value));
        case StunAttribute.REALM -> new Realm(Texts.decode(value));
        case StunAttribute.NONCE -> new Nonce(Texts.decode(value));
        case StunAttribute.SOFTWARE -> new Software(Texts.decode(value));
        case StunAttribute.ERROR_CODE -> errorCode(value);
        case StunAttribute.UNKNOWN_ATTRIBUTES -> unknownAttributes(value);
        case StunAttribute.LIFETIME -> new Lifetime(Integer.toUnsignedLong(fixed(value, 4)));
        case StunAttribute.REQUESTED_TRANSPORT -> new RequestedTransport(fixed(value, 4) >>> 24);
        case StunAttribute.PADDING -> new Padding(value.remaining());
        case StunAttribute.MESSAGE_INTEGRITY -> new MessageIntegrity(bytes(value));
        case StunAttribute.MESSAGE_INTEGRITY_SHA256 -> new MessageIntegritySha256(bytes(value));
        case StunAttribute.FINGERPRINT -> new Fingerprint(fixed(value, 4));
        default -> new Unknown(type, bytes(value));
      };
    } catch (StunFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new StunFormatException(e.getMessage());
    }
  }

  private static byte[] errorCode(ErrorCode error) {
    byte[] reason = Texts.encode(error.reason());
    return ByteBuffer.allocate(4 + reason.length)
        .putShort((short) 0)
        .put((byte) (error.code() / 100))
        .put((byte) (error.code() % 100))
        .put(reason)
        .array();
  }

  /** Class in the low three bits of the third byte, number 0 to 99 in the fourth (§14.8). */
  private static ErrorCode errorCode(ByteBuffer value) {
    if (value.remaining() < 4) {
      throw new StunFormatException("ERROR-CODE has " + value.remaining() + " bytes, under 4");
    }
    int errorClass = value.get(value.position() + 2) & 0x07;
    int number = value.get(value.position() + 3) & 0xFF;
    if (errorClass < 3 || errorClass > 6 || number > 99) {
      throw new StunFormatException("ERROR-CODE class " + errorClass + " number " + number);
    }
    value.position(value.position() + 4);
    return new ErrorCode(errorClass * 100 + number, Texts.decode(value));
  }

  private static byte[] unknownAttributes(UnknownAttributes attribute) {
    ByteBuffer value = ByteBuffer.allocate(2 * attribute.types().size());
    attribute.types().forEach(type -> value.putShort((short) (int) type));
    return value.array();
  }

  private static UnknownAttributes unknownAttributes(ByteBuffer value) {
    if (value.remaining() % 2 != 0) {
      throw new StunFormatException("UNKNOWN-ATTRIBUTES has an odd length " + value.remaining());
    }
    List<Integer> types = new ArrayList<>();
    while (value.hasRemaining()) {
      types.add(value.getShort() & 0xFFFF);
    }
    return new UnknownAttributes(types);
  }

  private static int fixed(ByteBuffer value, int length) {
    if (value.remaining() != length) {
      throw new StunFormatException(
          "a value of " + value.remaining() + " bytes where " + length + " belong");
    }
    return value.getInt();
  }

  private static byte[] bytes(ByteBuffer value) {
    byte[] bytes = new byte[value.remaining()];
    value.get(bytes);
    return bytes;
  }
}
