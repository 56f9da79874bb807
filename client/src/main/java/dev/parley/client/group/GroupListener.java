package dev.parley.client.group;

import dev.parley.protocol.UserName;
import java.nio.file.Path;

/**
 * What a client reports of its groups. Calls come one at a time on the client's event loop, each
 * after what it reports is stored: an implementation MUST return quickly and MUST NOT wait for the
 * client.
 */
public interface GroupListener {

  /**
   * A new message in a group, from another member. If the listener {@linkplain
   * dev.parley.client.chat.ChatListener#showsReceived shows what arrives}, it is marked shown once
   * the call returns, and one stored but never shown is handed over at the next start.
   */
  default void groupMessage(LogEntry message) {}

  /**
   * A change of a group: its creation (also one we were added to), a member added, removed, made an
   * admin, or leaving; ours too.
   */
  default void groupChanged(LogEntry change) {}

  /**
   * The bytes of a group's file from another member arrived whole, their SHA-256 the one its entry
   * names, and were saved at {@code path} (docs/p2p.md, "Files in a group").
   */
  default void groupFileSaved(LogEntry file, Path path) {}

  /** {@code member} started or stopped typing in {@code group}. */
  default void groupTyping(GroupId group, UserName member, boolean active) {}

  /** More recipients hold one of our entries than before. */
  default void groupDelivery(LogEntry entry, GroupDelivery delivery) {}

  /**
   * An entry that {@code from} sent was rejected (docs/p2p.md, "Receiving: checks and bad input"):
   * it is neither stored nor shown. {@code why} is for people.
   */
  default void groupRejected(UserName from, GroupId group, String why) {}
}
