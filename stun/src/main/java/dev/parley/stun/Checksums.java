package dev.parley.stun;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY and FINGERPRINT (RFC 8489 §14.5, §14.7). Each covers the message up to its own
 * attribute, with the header's length field set as if that attribute ended the message; so the
 * header is copied and adjusted, and the body is read in place. Every buffer here holds one message
 * starting at index 0.
 */
final class Checksums {
  private static final int FINGERPRINT_XOR = 0x5354554e;
  private static final int INTEGRITY_SIZE = 4 + StunAttribute.MessageIntegrity.LENGTH;
  private static final int FINGERPRINT_SIZE = 8;

  private Checksums() {}

  /** The FINGERPRINT of the first {@code upTo} bytes of {@code message}. */
  static int fingerprint(ByteBuffer message, int upTo) {
    CRC32 crc = new CRC32();
    crc.update(header(message, upTo + FINGERPRINT_SIZE));
    crc.update(message.slice(StunMessage.HEADER_LENGTH, upTo - StunMessage.HEADER_LENGTH));
    return (int) crc.getValue() ^ FINGERPRINT_XOR;
  }

  /** The MESSAGE-INTEGRITY of the first {@code upTo} bytes of {@code message} under {@code key}. */
  static byte[] hmacSha1(byte[] key, ByteBuffer message, int upTo) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      mac.update(header(message, upTo + INTEGRITY_SIZE));
      mac.update(message.slice(StunMessage.HEADER_LENGTH, upTo - StunMessage.HEADER_LENGTH));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA1", e);
    }
  }

  static boolean fingerprintMatches(ByteBuffer message) {
    int offset = offsetOf(message, StunAttribute.FINGERPRINT);
    return offset >= 0 && message.getInt(offset + 4) == fingerprint(message, offset);
  }

  static boolean integrityMatches(ByteBuffer message, byte[] key) {
    int offset = offsetOf(message, StunAttribute.MESSAGE_INTEGRITY);
    if (offset < 0) {
      return false;
    }
    byte[] received = new byte[StunAttribute.MessageIntegrity.LENGTH];
    message.get(offset + 4, received);
    return MessageDigest.isEqual(received, hmacSha1(key, message, offset));
  }

  /** The offset of the first attribute of {@code type} in a message already decoded, or -1. */
  private static int offsetOf(ByteBuffer message, int type) {
    int offset = StunMessage.HEADER_LENGTH;
    while (offset < message.limit()) {
      if ((message.getShort(offset) & 0xFFFF) == type) {
        return offset;
      }
      offset += 4 + MessageCodec.padded(message.getShort(offset + 2) & 0xFFFF);
    }
    return -1;
  }

  /** The 20-byte header with its length field set so that the message ends at {@code end}. */
  private static byte[] header(ByteBuffer message, int end) {
    byte[] header = new byte[StunMessage.HEADER_LENGTH];
    message.get(0, header);
    header[2] = (byte) ((end - StunMessage.HEADER_LENGTH) >>> 8);
    header[3] = (byte) (end - StunMessage.HEADER_LENGTH);
    return header;
  }
}
