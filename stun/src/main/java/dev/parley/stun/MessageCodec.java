package dev.parley.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The header and the attribute TLVs (RFC 8489 §5, §14), with every check on the way in. */
final class MessageCodec {
  private MessageCodec() {}

  static byte[] encode(StunMessage message) {
    List<byte[]> values = new ArrayList<>();
    int length = StunMessage.HEADER_LENGTH;
    for (StunAttribute attribute : message.attributes()) {
      byte[] value = AttributeCodec.encode(attribute, message.transactionId());
      values.add(value);
      length += 4 + padded(value.length);
    }
    if (length > StunMessage.MAX_LENGTH) {
      throw new StunFormatException(
          "the message would be " + length + " bytes, over " + StunMessage.MAX_LENGTH);
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    out.putShort((short) message.type().code())
        .putShort((short) (length - StunMessage.HEADER_LENGTH))
        .putInt(StunMessage.MAGIC_COOKIE)
        .put(message.transactionId().bytes());
    for (int i = 0; i < values.size(); i++) {
      byte[] value = values.get(i);
      out.putShort((short) message.attributes().get(i).type()).putShort((short) value.length);
      out.put(value).position(out.position() + padded(value.length) - value.length);
    }
    return out.array();
  }

  /** Decodes {@code bytes} from index 0 to its limit. */
  static StunMessage decode(ByteBuffer bytes) {
    int length = bytes.remaining();
    if (length < StunMessage.HEADER_LENGTH) {
      throw new StunFormatException(length + " bytes, fewer than the 20 of a STUN header");
    }
    if (length > StunMessage.MAX_LENGTH) {
      throw new StunFormatException(length + " bytes, over the limit of " + StunMessage.MAX_LENGTH);
    }
    int typeField = bytes.getShort(0) & 0xFFFF;
    if ((typeField & 0xC000) != 0) {
      throw new StunFormatException(
          String.format("the first two bits are not zero (type 0x%04x): not STUN", typeField));
    }
    if (bytes.getInt(4) != StunMessage.MAGIC_COOKIE) {
      throw new StunFormatException(
          String.format("no magic cookie (0x%08x): RFC 3489 STUN or not STUN", bytes.getInt(4)));
    }
    int bodyLength = bytes.getShort(2) & 0xFFFF;
    if (bodyLength != length - StunMessage.HEADER_LENGTH) {
      throw new StunFormatException(
          "the length field says "
              + bodyLength
              + " bytes, but "
              + (length - StunMessage.HEADER_LENGTH)
              + " follow the header");
    }
    if (bodyLength % 4 != 0) {
      throw new StunFormatException("the length " + bodyLength + " is not a multiple of 4");
    }
    byte[] id = new byte[TransactionId.LENGTH];
    bytes.get(8, id);
    TransactionId transactionId = TransactionId.of(id);
    MessageType type = MessageType.fromCode(typeField);
    return new StunMessage(type, transactionId, attributes(bytes, transactionId));
  }

  private static List<StunAttribute> attributes(ByteBuffer bytes, TransactionId id) {
    List<StunAttribute> attributes = new ArrayList<>();
    int offset = StunMessage.HEADER_LENGTH;
    while (offset < bytes.limit()) {
      if (bytes.limit() - offset < 4) {
        throw new StunFormatException("a truncated attribute header at offset " + offset);
      }
      int type = bytes.getShort(offset) & 0xFFFF;
      int valueLength = bytes.getShort(offset + 2) & 0xFFFF;
      int end = offset + 4 + padded(valueLength);
      if (end > bytes.limit()) {
        throw new StunFormatException(
            String.format(
                "attribute 0x%04x at offset %d has %d bytes of value, padded to %d, but %d remain",
                type, offset, valueLength, padded(valueLength), bytes.limit() - offset - 4));
      }
      try {
        attributes.add(AttributeCodec.decode(type, bytes.slice(offset + 4, valueLength), id));
      } catch (StunFormatException e) {
        throw new StunFormatException(
            String.format("attribute 0x%04x at offset %d: %s", type, offset, e.getMessage()));
      }
      offset = end;
    }
    return attributes;
  }

  static int padded(int length) {
    return (length + 3) & ~3;
  }
}
