package dev.parley.client.chat;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.loop.EventLoop;
import dev.parley.protocol.UserName;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Typing in groups, both ways (docs/p2p.md, "Typing in a group"): ours told on the open links to
 * the group's other members, never opening one; theirs shown while both they and we are members. On
 * the client's event loop only.
 */
final class GroupTypists {
  /** Who types where: a member in a group (we, for what we tell). */
  private record Typist(GroupId group, UserName member) {}

  private final Typing<Typist> typing = new Typing<>();
  private final ChatListener listener;
  private final EventLoop loop;
  private final UserName me;
  private final Function<GroupId, @Nullable GroupLog> logs;
  private @Nullable PeerLinks links;

  GroupTypists(
      ChatListener listener,
      EventLoop loop,
      UserName me,
      Function<GroupId, @Nullable GroupLog> logs) {
    this.listener = listener;
    this.loop = loop;
    this.me = me;
    this.logs = logs;
  }

  void links(PeerLinks links) {
    this.links = links;
  }

  /** The user types in {@code group} ({@code active}) or stopped: tells who has an open link. */
  void typing(GroupId group, boolean active) {
    GroupLog groupLog = logs.apply(group);
    if (links == null
        || groupLog == null
        || !groupLog.members().isMember(me)
        || !typing.tell(new Typist(group, me), active, loop.nanoTime())) {
      return;
    }
    for (PeerLink link : links.links()) {
      if (link.isOpen() && groupLog.members().isMember(link.peer()) && !link.peer().equals(me)) {
        link.trySend(new ChannelMessage.GroupTyping(group, active));
      }
    }
  }

  /** {@code link}'s peer types in a group, or stopped: shown if both it and we are members. */
  void seen(PeerLink link, ChannelMessage.GroupTyping typed) {
    GroupLog groupLog = logs.apply(typed.group());
    if (groupLog == null
        || !groupLog.members().isMember(me)
        || !groupLog.members().isMember(link.peer())) {
      return;
    }
    Typist typist = new Typist(typed.group(), link.peer());
    boolean shown = typing.clear(typist);
    typing.seen(typist, typed.active(), loop.nanoTime());
    if (typed.active() || shown) {
      listener.groupTyping(typed.group(), link.peer(), typed.active());
    }
  }

  /** An entry of its author in its group: they are no longer typing there. */
  void wrote(LogEntry entry) {
    if (typing.clear(new Typist(entry.group(), entry.author()))) {
      listener.groupTyping(entry.group(), entry.author(), false);
    }
  }

  /** We sent in {@code group}: what we told no longer counts, and the next keystroke tells. */
  void sent(GroupId group) {
    typing.forget(new Typist(group, me));
  }

  /** The link to {@code peer} is gone: they are shown typing nowhere. */
  void linkGone(UserName peer) {
    typing
        .clearIf(t -> t.member().equals(peer))
        .forEach(t -> listener.groupTyping(t.group(), t.member(), false));
  }

  /** Every second: who has not refreshed for 6 s is no longer shown typing. */
  void tick() {
    typing
        .expired(loop.nanoTime())
        .forEach(t -> listener.groupTyping(t.group(), t.member(), false));
  }
}
