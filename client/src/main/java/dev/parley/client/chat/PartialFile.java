package dev.parley.client.chat;

import dev.parley.client.group.Hashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file arriving in chunks, one-to-one or a group's: written to a partial file beside the
 * downloads and hashed as it comes, then kept under its name only if its SHA-256 is the one
 * announced. On the client's event loop only.
 */
final class PartialFile {
  private static final Logger log = LoggerFactory.getLogger(PartialFile.class);

  private final Path partial;
  private final long size;
  private final FileChannel channel;
  private final MessageDigest digest = Hashes.digest();
  private long done;
  private long reported;

  /** Opens {@code partial} for a file of {@code size} bytes, emptied if it exists. */
  PartialFile(Path partial, long size) throws IOException {
    this.partial = partial;
    this.size = size;
    Files.createDirectories(partial.getParent());
    this.channel =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
  }

  /** Appends {@code data}; false, writing nothing, if it would make more than the size. */
  boolean write(ByteBuffer data) throws IOException {
    if (done + data.remaining() > size) {
      return false;
    }
    digest.update(data.duplicate());
    done += data.remaining();
    while (data.hasRemaining()) {
      channel.write(data);
    }
    return true;
  }

  long done() {
    return done;
  }

  long size() {
    return size;
  }

  boolean complete() {
    return done == size;
  }

  /** Whether the progress made since the last report is worth telling. */
  boolean worthReporting() {
    if (!Progress.worthReporting(done, reported, size)) {
      return false;
    }
    reported = done;
    return true;
  }

  /**
   * The whole file, on disk: kept as a new file in {@code dir} under {@code name} (or {@code name
   * (2)}...) if its SHA-256 is {@code sha256}, returned; else discarded, and null.
   */
  @Nullable Path keep(Path dir, String name, String sha256) throws IOException {
    channel.force(true);
    channel.close();
    if (!Hashes.hex(digest).equals(sha256)) {
      Files.deleteIfExists(partial);
      return null;
    }
    Path saved = unusedName(dir, name);
    Files.move(partial, saved);
    return saved;
  }

  /** Closes and deletes the partial file. */
  void discard() {
    try {
      channel.close();
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      log.debug("discarding {}: {}", partial, e.getMessage());
    }
  }

  /** {@code name} in {@code dir}, or {@code name (2)}, {@code name (3)}... if it exists. */
  static Path unusedName(Path dir, String name) {
    Path candidate = dir.resolve(name);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int n = 2; Files.exists(candidate); n++) {
      candidate = dir.resolve(stem + " (" + n + ")" + ext);
    }
    return candidate;
  }
}
