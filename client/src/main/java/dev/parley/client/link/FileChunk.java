package dev.parley.client.link;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * A piece of a file on a link's data channel: one binary message, the file's id as 16 raw bytes
 * (the UUID's 128 bits, most significant first) followed by at most {@link #MAX_DATA} bytes of the
 * file, in order (docs/p2p.md, "Files").
 */
public record FileChunk(UUID file, ByteBuffer data) {
  /** The most file bytes one chunk may carry. */
  public static final int MAX_DATA = 65_536;

  private static final int HEADER = 16;

  /** Reads a binary message; the result's data is a view of {@code message}. */
  public static FileChunk decode(ByteBuffer message) {
    if (message.remaining() < HEADER || message.remaining() > HEADER + MAX_DATA) {
      throw new IllegalArgumentException(
          "a file chunk is 16 to " + (HEADER + MAX_DATA) + " bytes, not " + message.remaining());
    }
    ByteBuffer view = message.slice();
    UUID file = new UUID(view.getLong(), view.getLong());
    return new FileChunk(file, view.slice());
  }

  /** Encodes {@code length} bytes of {@code data} from {@code offset} as one binary message. */
  public static ByteBuffer encode(UUID file, byte[] data, int offset, int length) {
    if (length > MAX_DATA) {
      throw new IllegalArgumentException("a chunk carries at most " + MAX_DATA + " bytes");
    }
    return write(ByteBuffer.allocateDirect(HEADER + length), file, data, offset, length);
  }

  /** The most bytes one encoded chunk takes. */
  static final int MAX_ENCODED = HEADER + MAX_DATA;

  /**
   * Encodes {@code length} bytes of {@code data} into {@code target} (cleared first), which has
   * room for {@link #MAX_ENCODED} bytes; returns it, flipped.
   */
  static ByteBuffer write(ByteBuffer target, UUID file, byte[] data, int offset, int length) {
    if (length > MAX_DATA) {
      throw new IllegalArgumentException("a chunk carries at most " + MAX_DATA + " bytes");
    }
    target.clear();
    target.putLong(file.getMostSignificantBits()).putLong(file.getLeastSignificantBits());
    target.put(data, offset, length).flip();
    return target;
  }
}
