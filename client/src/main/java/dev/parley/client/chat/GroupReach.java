package dev.parley.client.chat;

import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.server.Signaling;
import dev.parley.protocol.UserName;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Which links groups open, and when (docs/p2p.md, "Sending, forwarding, catching up"): to members
 * who have not confirmed our entries, when they or we come online; to a few members to catch up
 * from when we come online; to a member nobody has heard from, by the first member online. Never
 * beyond {@link #MAX_LINKS}. On the client's event loop only.
 */
final class GroupReach {
  /** Links are opened for groups only while the client has fewer than this many. */
  static final int MAX_LINKS = 32;

  /** A member back online opens links to at most this many members of each group to catch up. */
  static final int SYNC_PEERS = 3;

  private final Signaling server;
  private final Holdings holdings;
  private final Consumer<UserName> connect;
  private final UserName me;
  private @Nullable PeerLinks links;

  /** {@code connect} opens a link unless one is open or being opened, or must wait. */
  GroupReach(Signaling server, Holdings holdings, Consumer<UserName> connect) {
    this.server = server;
    this.holdings = holdings;
    this.connect = connect;
    this.me = server.name();
  }

  void links(PeerLinks links) {
    this.links = links;
  }

  /** A member came online: we bring it our entries it has not confirmed. */
  void joined(Collection<GroupLog> groups, UserName peer) {
    for (GroupLog groupLog : groups) {
      if (owes(groupLog, peer) || (unheardOf(groupLog, peer) && firstOnline(groupLog, peer))) {
        reach(peer);
      }
    }
  }

  /**
   * Whether {@code member} is a member we have not heard from since we started: it may not even
   * know the group yet (added while its adder could not reach it), so someone must bring it the
   * log.
   */
  private boolean unheardOf(GroupLog groupLog, UserName member) {
    return groupLog.members().isMember(member)
        && groupLog.members().isMember(me)
        && holdings.known(groupLog.id(), member).isEmpty();
  }

  /**
   * Whether we come first by name among the group's members online but {@code except}: the one who
   * brings a member the log, so that not everyone opens a link to it.
   */
  private boolean firstOnline(GroupLog groupLog, UserName except) {
    Set<UserName> online = server.online();
    return groupLog.members().names().stream()
        .filter(m -> !m.equals(except) && (m.equals(me) || online.contains(m)))
        .min(Comparator.comparing(UserName::key))
        .filter(me::equals)
        .isPresent();
  }

  /**
   * We are online (again): each group catches up from up to {@link #SYNC_PEERS} online members, and
   * our entries go to who has not confirmed them.
   */
  void online(Collection<GroupLog> groups) {
    Set<UserName> online = server.online();
    for (GroupLog groupLog : groups) {
      if (!groupLog.members().isMember(me)) {
        continue;
      }
      List<UserName> others =
          groupLog.members().names().stream()
              .filter(m -> !m.equals(me) && online.contains(m))
              .sorted(Comparator.comparing((UserName m) -> openLink(m).isEmpty()))
              .toList();
      others.stream().limit(SYNC_PEERS).forEach(this::reach);
      others.stream().filter(m -> owes(groupLog, m)).forEach(this::reach);
    }
  }

  /** Every second: our unconfirmed entries go to who is online and has no link yet. */
  void tick(Collection<GroupLog> groups) {
    for (GroupLog groupLog : groups) {
      for (UserName member : groupLog.members().names()) {
        if (!member.equals(me)
            && server.onlineKey(member).isPresent()
            && openLink(member).isEmpty()
            && owes(groupLog, member)) {
          reach(member);
        }
      }
    }
  }

  /** Whether {@code member} has not confirmed every entry of ours it is a recipient of. */
  boolean owes(GroupLog groupLog, UserName member) {
    long confirmed = holdings.confirmed(groupLog.id(), member);
    for (long seq = groupLog.count(me); seq > confirmed; seq--) {
      Optional<LogEntry> entry = groupLog.entry(me, seq);
      if (entry.isPresent() && groupLog.recipients(entry.get().hash()).contains(member)) {
        return true;
      }
    }
    return false;
  }

  /** Opens a link to {@code member} if it is online and the cap allows. */
  void reach(UserName member) {
    if (links != null
        && server.onlineKey(member).isPresent()
        && (links.link(member).isPresent() || links.links().size() < MAX_LINKS)) {
      connect.accept(member);
    }
  }

  private Optional<PeerLink> openLink(UserName peer) {
    return links == null ? Optional.empty() : links.link(peer).filter(PeerLink::isOpen);
  }
}
