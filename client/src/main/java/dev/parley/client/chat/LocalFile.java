package dev.parley.client.chat;

import dev.parley.client.link.ChannelMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file of the user's to send, one-to-one or to a group: where it is, its base name, size, SHA-256
 * and media type, read once when it is queued or shared.
 */
record LocalFile(Path path, String name, long size, String sha256, String mime) {

  /**
   * Reads {@code file}: checked first (a regular file, a name of at most 255 characters, at most
   * {@code largest} bytes), then hashed, on the caller's thread: a large file takes a while.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not a regular file, or its name or size is too large
   */
  static LocalFile read(Path file, long largest) throws IOException {
    Path path = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(file + " is not a file");
    }
    String name = path.getFileName().toString();
    if (name.length() > ChannelMessage.MAX_FILE_NAME) {
      throw new IllegalArgumentException(
          "the file name is longer than " + ChannelMessage.MAX_FILE_NAME + " characters");
    }
    long size = Files.size(path);
    if (size > largest) {
      throw new IllegalArgumentException(
          file + " is " + size + " bytes; files up to " + largest + " can be sent here");
    }
    String mime = Optional.ofNullable(Files.probeContentType(path)).orElse("");
    return new LocalFile(path, name, size, Sha256.of(path), mime);
  }
}
