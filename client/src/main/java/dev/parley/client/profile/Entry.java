package dev.parley.client.profile;

import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One message or file in a conversation, ours or the peer's, as the history keeps it.
 *
 * @param seq the order in which this profile stored it
 * @param peer the other side of the conversation
 * @param id the sender's id for it (a UUID)
 * @param outgoing whether we sent it
 * @param ts the sender's clock, Unix milliseconds
 * @param text the message, or the file's name
 * @param file for a file: its details; null for a chat message
 * @param state its delivery state
 * @param detail why it failed, or empty
 */
public record Entry(
    long seq,
    UserName peer,
    String id,
    boolean outgoing,
    long ts,
    String text,
    @Nullable FileInfo file,
    Delivery state,
    String detail) {

  /**
   * A file's details. {@code path} is where it is: the original for one we send, the saved copy for
   * one we received.
   */
  public record FileInfo(long size, String sha256, String mime, Path path) {}

  public boolean isFile() {
    return file != null;
  }

  public Optional<FileInfo> fileInfo() {
    return Optional.ofNullable(file);
  }

  public Entry withState(Delivery next, String why) {
    return new Entry(seq, peer, id, outgoing, ts, text, file, next, why);
  }
}
