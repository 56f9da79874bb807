package dev.parley.client.chat;

import dev.parley.client.group.Group;
import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.client.loop.EventLoop;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A client's group conversations, as the user calls them (docs/p2p.md, "Groups"): each change and
 * message is signed with the client's identity key, stored, and delivered to the members online,
 * and to the others when they or any member who has it come online. What arrives comes to the
 * {@link ChatListener}'s group methods.
 *
 * <p>Any thread: the work is posted to the client's event loop and waited for (at once when called
 * on the loop, from a listener).
 */
public final class GroupChats {
  private final Groups groups;
  private final EventLoop loop;

  GroupChats(Groups groups, EventLoop loop) {
    this.groups = groups;
    this.loop = loop;
  }

  /**
   * Creates a group titled {@code title} of us (its first admin) and {@code members}.
   *
   * @throws IllegalArgumentException if the title or the number of members is out of bounds, or a
   *     member's key is not known (they are offline and we have never talked)
   */
  public GroupId create(String title, Collection<UserName> members) {
    return loop.call(() -> groups.create(title, List.copyOf(members)));
  }

  /**
   * Sends {@code text} to the group.
   *
   * @throws IllegalArgumentException if there is no such group or the text is too long
   * @throws IllegalStateException if we are not a member
   */
  public LogEntry send(GroupId group, String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("nothing to send");
    }
    return loop.call(() -> groups.send(group, text));
  }

  /**
   * Shares the file at {@code file} with the group: its name, size and SHA-256 go in a signed
   * entry, and members fetch its bytes from us, or from any member who has them. It is read when a
   * member asks, from where it is now: it must stay there, unchanged, until they have it.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not a regular file, is larger than 1 GiB, or its name
   *     is too long; or there is no such group
   * @throws IllegalStateException if we are not a member
   */
  public LogEntry sendFile(GroupId group, Path file) throws IOException {
    LocalFile local = LocalFile.read(file, Op.MAX_FILE_BYTES);
    return loop.call(() -> groups.sendFile(group, local));
  }

  /**
   * Where the bytes of the group's file entry {@code hash} are, once we hold them (ours, or fetched
   * and checked); empty until then.
   */
  public Optional<Path> file(GroupId group, String hash) {
    return loop.call(() -> groups.file(group, hash));
  }

  /**
   * The user is typing in the group ({@code true}) or stopped ({@code false}): told to the members
   * with an open link, at most every 3 s.
   */
  public void typing(GroupId group, boolean active) {
    loop.post(() -> groups.typing(group, active));
  }

  /**
   * Adds {@code member}, whose key must be known (online, or someone we have talked to).
   *
   * @throws IllegalStateException if we are not an admin, or they are a member already
   */
  public LogEntry add(GroupId group, UserName member) {
    return loop.call(() -> groups.add(group, member));
  }

  /**
   * Removes {@code member}: nothing written from then on reaches them.
   *
   * @throws IllegalStateException if we are not an admin, or they are not a member
   */
  public LogEntry remove(GroupId group, UserName member) {
    return loop.call(() -> groups.remove(group, member));
  }

  /**
   * Makes {@code member} an admin.
   *
   * @throws IllegalStateException if we are not an admin, or they are not a member
   */
  public LogEntry makeAdmin(GroupId group, UserName member) {
    return loop.call(() -> groups.makeAdmin(group, member));
  }

  /** Leaves the group; its history stays. */
  public LogEntry leave(GroupId group) {
    return loop.call(() -> groups.leave(group));
  }

  /** Every group we are or were a member of, with its members and their presence. */
  public List<Group> list() {
    return loop.call(groups::groups);
  }

  public Optional<Group> get(GroupId group) {
    return loop.call(() -> groups.group(group));
  }

  /**
   * The last {@code limit} entries of the group that we may read (messages written while we were a
   * member, and every change), in the order every member shows them.
   */
  public List<LogEntry> history(GroupId group, int limit) {
    return loop.call(() -> groups.history(group, limit));
  }

  /** Who of the recipients of entry {@code hash} hold it, as far as they told us. */
  public GroupDelivery delivery(GroupId group, String hash) {
    return loop.call(() -> groups.delivery(group, hash));
  }
}
