package dev.parley.stun;

/**
 * A STUN message type: a 12-bit method and a class, which RFC 8489 §5 interleaves in the 14 low
 * bits of the first two bytes (M11..M7 C1 M6..M4 C0 M3..M0).
 *
 * @param method the method, such as {@link #BINDING}; any 12-bit value, since a decoder must be
 *     able to read (and then refuse) methods it does not know
 */
public record MessageType(int method, MessageClass messageClass) {
  public static final int BINDING = 0x001;
  public static final int ALLOCATE = 0x003;
  public static final int REFRESH = 0x004;

  public static final MessageType BINDING_REQUEST = new MessageType(BINDING, MessageClass.REQUEST);
  public static final MessageType BINDING_SUCCESS =
      new MessageType(BINDING, MessageClass.SUCCESS_RESPONSE);

  /** The four classes and their two-bit codes, C1 C0. */
  public enum MessageClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    private final int bits;

    MessageClass(int bits) {
      this.bits = bits;
    }

    static MessageClass of(int bits) {
      for (MessageClass candidate : values()) {
        if (candidate.bits == bits) {
          return candidate;
        }
      }
      throw new AssertionError("two bits have four values");
    }
  }

  public MessageType {
    if (method < 0 || method > 0xFFF) {
      throw new IllegalArgumentException("a STUN method has 12 bits, not " + method);
    }
  }

  /** The type of a message of {@code method} in class {@code messageClass}. */
  public static MessageType of(int method, MessageClass messageClass) {
    return new MessageType(method, messageClass);
  }

  /** Reads the 14-bit field; the caller has checked that the two top bits are zero. */
  public static MessageType fromCode(int code) {
    int method = (code & 0x000F) | ((code & 0x00E0) >> 1) | ((code & 0x3E00) >> 2);
    int classBits = ((code & 0x0010) >> 4) | ((code & 0x0100) >> 7);
    return new MessageType(method, MessageClass.of(classBits));
  }

  /** The 16-bit field of the header. */
  public int code() {
    int classBits = messageClass.bits;
    return (method & 0x000F)
        | ((method & 0x0070) << 1)
        | ((method & 0x0F80) << 2)
        | ((classBits & 1) << 4)
        | ((classBits & 2) << 7);
  }

  /** The same method in another class, as a response to this request. */
  public MessageType withClass(MessageClass other) {
    return new MessageType(method, other);
  }
}
