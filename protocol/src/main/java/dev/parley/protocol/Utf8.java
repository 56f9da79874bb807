package dev.parley.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Well-formed UTF-8 (RFC 3629, Unicode table 3-7), checked before Jackson reads the bytes. Jackson
 * alone is not strict enough for a decoder that forwards what it accepts: it takes overlong forms
 * ({@code C0 AF} for {@code /}) and code points past U+10FFFF, and reads a key whose bytes, padded
 * with 0xFF as its table of names pads them, match a key it has seen before ({@code FF FF 74 6F} as
 * {@code to}), so that what a frame means would depend on the frames before it. The server also
 * checks every text frame with it before anything reads the frame.
 */
public final class Utf8 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The top bit of each byte of a long: set in a byte that is not ASCII. */
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /** The index of the first byte that does not begin a well-formed sequence, or -1 if none. */
  public static int firstMalformed(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      // Runs of ASCII, which is most of what is checked (JSON, SDP), eight bytes at a time.
      while (bytes.length - i >= Long.BYTES && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
        i += Long.BYTES;
      }
      if (i == bytes.length) {
        break;
      }
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        i++;
        continue;
      }
      int length;
      int low = 0x80; // the range of the second byte, narrower after some leads
      int high = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : low; // no overlong forms
        high = lead == 0xED ? 0x9F : high; // no surrogates
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : low; // no overlong forms
        high = lead == 0xF4 ? 0x8F : high; // nothing past U+10FFFF
      } else {
        return i;
      }
      if (bytes.length - i < length) {
        return i;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return i;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += length;
    }
    return -1;
  }
}
