package dev.parley.client.chat;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Membership;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.loop.EventLoop;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who gets which entries of the groups, and when (docs/p2p.md, "Sync", "Sending, forwarding,
 * catching up"): our new entries delivered to the recipients online; what a link brings forwarded
 * to the other members who lack it; a member's group-sync answered with what it lacks, and read as
 * what it holds of ours ("delivered to k of n"); what a link brought acknowledged with one
 * group-sync per group at the end of the loop's turn; our entries a member does not confirm sent
 * again. On the client's event loop only.
 */
final class GroupSending {
  /** An entry a member has not confirmed this long after it was sent is sent again. */
  static final Duration RESEND_AFTER = Duration.ofSeconds(10);

  /** The longest wait between two resends to one member. */
  static final Duration RESEND_MAX = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(GroupSending.class);

  private final Holdings holdings;
  private final GroupReach reach;
  private final ChatListener listener;
  private final EventLoop loop;
  private final UserName me;
  private final Function<GroupId, @Nullable GroupLog> logs;
  // The group-syncs we owe a link for what it brought: sent once the loop's turn ends.
  private final Map<PeerLink, Set<GroupId>> owed = new LinkedHashMap<>();
  // Per group and member with our entries unconfirmed: when they go again, and the wait after.
  private final Map<GroupId, Map<UserName, long[]>> resends = new HashMap<>();
  private @Nullable PeerLinks links;

  GroupSending(
      Holdings holdings,
      GroupReach reach,
      ChatListener listener,
      EventLoop loop,
      UserName me,
      Function<GroupId, @Nullable GroupLog> logs) {
    this.holdings = holdings;
    this.reach = reach;
    this.listener = listener;
    this.loop = loop;
    this.me = me;
    this.logs = logs;
  }

  void links(PeerLinks links) {
    this.links = links;
  }

  /** A link opened: a group-sync for every group both we and its peer are members of. */
  void linkOpened(PeerLink link, Collection<GroupLog> groups) {
    UserName peer = link.peer();
    for (GroupLog groupLog : groups) {
      Membership members = groupLog.members();
      if (members.isMember(me) && members.isMember(peer)) {
        link.trySend(new ChannelMessage.GroupSync(groupLog.id(), groupLog.have()));
      }
    }
  }

  void linkGone(PeerLink link) {
    owed.remove(link);
  }

  /**
   * Every second, on an open link: our entries a member has not confirmed 10 s after they became
   * due go again (it may have failed to store them), then after twice as long each time, up to 5
   * minutes. To a member that never told us what it holds, a group-sync goes instead, whose answer
   * brings it what it lacks.
   */
  void tick(Collection<GroupLog> groups) {
    long now = loop.nanoTime();
    for (GroupLog groupLog : groups) {
      Map<UserName, long[]> due = resends.computeIfAbsent(groupLog.id(), g -> new HashMap<>());
      for (UserName member : groupLog.members().names()) {
        Optional<PeerLink> link = openLink(member);
        if (link.isEmpty() || !reach.owes(groupLog, member)) {
          due.remove(member);
          continue;
        }
        long first = RESEND_AFTER.toNanos();
        long[] next = due.computeIfAbsent(member, m -> new long[] {now + first, first});
        if (now >= next[0]) {
          resend(groupLog, link.get());
          next[1] = Math.min(next[1] * 2, RESEND_MAX.toNanos());
          next[0] = now + next[1];
        }
      }
    }
  }

  void sync(PeerLink link, ChannelMessage.GroupSync sync) {
    UserName peer = link.peer();
    GroupLog groupLog = logs.apply(sync.group());
    if (groupLog == null) {
      if (!sync.have().isEmpty()) {
        // We know nothing of it: say so, so that a member who added us sends us the log.
        link.trySend(new ChannelMessage.GroupSync(sync.group(), Map.of()));
      }
      return;
    }
    if (!groupLog.everMember(peer)) {
      log.info("ignoring {}'s group-sync for {}: not a member", peer, sync.group());
      return;
    }
    holdings.told(sync.group(), peer, sync.have());
    confirmed(groupLog, peer, sync.have().getOrDefault(me.key(), 0L));
    for (LogEntry entry : groupLog.lacking(peer, sync.have())) {
      if (!link.trySend(new ChannelMessage.GroupEntry(entry))) {
        return;
      }
      holdings.sentThem(sync.group(), peer, entry);
    }
  }

  /** {@code peer} holds our entries of the group up to {@code seq}: what is delivered now. */
  private void confirmed(GroupLog groupLog, UserName peer, long seq) {
    long before = holdings.confirm(groupLog.id(), peer, seq);
    for (long s = before + 1; s <= seq; s++) {
      groupLog
          .entry(me, s)
          .ifPresent(entry -> listener.groupDelivery(entry, holdings.delivery(groupLog, entry)));
    }
  }

  /** Sends our new {@code entry} to its recipients online, opening links to them as needed. */
  void deliver(GroupLog groupLog, LogEntry entry) {
    for (UserName member : groupLog.recipients(entry.hash())) {
      if (member.equals(me)) {
        continue;
      }
      Optional<PeerLink> link = openLink(member);
      if (link.isPresent()) {
        push(groupLog, link.get());
      } else {
        reach.reach(member);
      }
    }
  }

  /** Sends {@code entry}, taken from {@code from}, on every other open link to one who lacks it. */
  @SuppressWarnings("ReferenceEquality") // one link object is one link: identity, not equality
  void forward(GroupLog groupLog, LogEntry entry, PeerLink from) {
    if (links == null) {
      return;
    }
    Set<UserName> recipients = groupLog.recipients(entry.hash());
    for (PeerLink link : links.links()) {
      UserName peer = link.peer();
      if (link == from || !link.isOpen() || !recipients.contains(peer)) {
        continue;
      }
      if (holdings.known(groupLog.id(), peer).isEmpty()) {
        // It has not told what it holds, and may not know the group: ask, once.
        if (holdings.ask(groupLog.id(), peer)) {
          link.trySend(new ChannelMessage.GroupSync(groupLog.id(), groupLog.have()));
        }
      } else if (holdings.count(groupLog.id(), peer, entry.author()) < entry.seq()
          // Just the entry: its parents it holds, or its sync after taking it asks for them.
          && link.trySend(new ChannelMessage.GroupEntry(entry))) {
        holdings.sentThem(groupLog.id(), peer, entry);
      }
    }
  }

  /**
   * Sends on {@code link} what its peer lacks of the group, if we know what it holds (from its
   * group-sync); else asks it with ours, and its answer (or its own, on its way since the link
   * opened) says.
   */
  private void push(GroupLog groupLog, PeerLink link) {
    Map<String, Long> theirs = holdings.known(groupLog.id(), link.peer()).orElse(null);
    if (theirs == null) {
      link.trySend(new ChannelMessage.GroupSync(groupLog.id(), groupLog.have()));
      return;
    }
    for (LogEntry entry : groupLog.lacking(link.peer(), theirs)) {
      if (!link.trySend(new ChannelMessage.GroupEntry(entry))) {
        return;
      }
      holdings.sentThem(groupLog.id(), link.peer(), entry);
    }
  }

  /** Our entries {@code link}'s peer has not confirmed, of which it is a recipient, again. */
  private void resend(GroupLog groupLog, PeerLink link) {
    UserName member = link.peer();
    if (holdings.told(groupLog.id(), member).isEmpty()) {
      link.trySend(new ChannelMessage.GroupSync(groupLog.id(), groupLog.have()));
      return;
    }
    long confirmed = holdings.confirmed(groupLog.id(), member);
    for (long seq = confirmed + 1; seq <= groupLog.count(me); seq++) {
      Optional<LogEntry> entry =
          groupLog.entry(me, seq).filter(e -> groupLog.recipients(e.hash()).contains(member));
      if (entry.isPresent() && !link.trySend(new ChannelMessage.GroupEntry(entry.get()))) {
        return;
      }
    }
  }

  Optional<PeerLink> openLink(UserName peer) {
    return links == null ? Optional.empty() : links.link(peer).filter(PeerLink::isOpen);
  }

  void owe(PeerLink link, GroupId group) {
    boolean first = owed.isEmpty();
    owed.computeIfAbsent(link, l -> new LinkedHashSet<>()).add(group);
    if (first) {
      loop.post(this::payOwed);
    }
  }

  /** Acknowledges what the links brought this turn: one group-sync per group and link. */
  private void payOwed() {
    Map<PeerLink, Set<GroupId>> due = new LinkedHashMap<>(owed);
    owed.clear();
    due.forEach(
        (link, groups) -> {
          for (GroupId group : groups) {
            GroupLog groupLog = logs.apply(group);
            if (groupLog != null && link.isOpen()) {
              link.trySend(new ChannelMessage.GroupSync(group, groupLog.have()));
            }
          }
        });
  }
}
