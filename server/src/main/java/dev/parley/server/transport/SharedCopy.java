package dev.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One native copy of the array that many frames carry at once (the list of everyone online, in
 * every welcome of a burst of logins), so that each frame costs a reference to it, not a copy: at
 * 20,000 online the list is 1.5 MB, and a burst of logins once held one copy per welcome waiting
 * for a slow reader. Only the latest array is kept: a new one means the old is no longer handed
 * out, and its copy is freed when the last frame carrying it has been written.
 */
final class SharedCopy implements AutoCloseable {
  private final Function<byte[], ByteBuf> copier;
  private byte @Nullable [] source;
  private @Nullable ByteBuf copy;

  /** Copies the bytes as they are. */
  SharedCopy() {
    this(SharedCopy::nativeCopy);
  }

  /** {@code bytes} in native memory, of their exact size: nothing can grow it under its readers. */
  static ByteBuf nativeCopy(byte[] bytes) {
    return UnpooledByteBufAllocator.DEFAULT
        .directBuffer(bytes.length, bytes.length)
        .writeBytes(bytes);
  }

  /** Keeps what {@code copier} makes of the bytes: a native buffer, owned by this copy. */
  SharedCopy(Function<byte[], ByteBuf> copier) {
    this.copier = copier;
  }

  /**
   * A view of {@code bytes} in native memory, with indexes of its own, to be released by whoever
   * sends it. It is not wrapped as read-only (the wrapper took about 4% of the server's samples in
   * Java code during a login storm): what writes frames (TLS included) reads them, and a copy of
   * its exact size cannot be grown in place.
   */
  @SuppressWarnings("ReferenceEquality") // the very array last copied, not one with equal bytes
  synchronized ByteBuf of(byte[] bytes) {
    ByteBuf current = copy;
    if (bytes != source || current == null) {
      if (current != null) {
        current.release();
      }
      current = copier.apply(bytes);
      copy = current;
      source = bytes;
    }
    return current.retainedDuplicate();
  }

  @Override
  public synchronized void close() {
    if (copy != null) {
      copy.release();
      copy = null;
      source = null;
    }
  }
}
