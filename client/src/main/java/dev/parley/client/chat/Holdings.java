package dev.parley.client.chat;

import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.profile.GroupStore;
import dev.parley.client.profile.ProfileException;
import dev.parley.protocol.UserName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each member of each group holds, as far as we know: per author, how many entries, from the
 * member's last group-sync and from what we sent it since (for this run only); and how many of our
 * own entries it confirmed, kept in the profile, from which "delivered to k of n" is told. On the
 * client's event loop only.
 */
final class Holdings {
  private static final Logger log = LoggerFactory.getLogger(Holdings.class);

  private final GroupStore store;
  private final UserName me;
  // What each member holds: what it told us (its syncs, what it sent us), and what we sent it.
  private final Map<GroupId, Map<UserName, Map<String, Long>>> known = new HashMap<>();
  // What each member holds as it told us, without what we sent it: a resend starts from here.
  private final Map<GroupId, Map<UserName, Map<String, Long>>> told = new HashMap<>();
  // The members we asked what they hold, and that have not told yet: asked once.
  private final Set<String> asked = new HashSet<>();
  private final Map<GroupId, Map<UserName, Long>> confirmed = new HashMap<>();

  Holdings(GroupStore store, UserName me) {
    this.store = store;
    this.me = me;
  }

  /** Reads what the members of {@code group} confirmed of ours from the profile. */
  void load(GroupId group) {
    confirmed.put(group, new HashMap<>(store.delivered(group)));
  }

  /** What {@code peer} holds of {@code group}, per author in lower case, if it told us this run. */
  Optional<Map<String, Long>> known(GroupId group, UserName peer) {
    return Optional.ofNullable(known.getOrDefault(group, Map.of()).get(peer));
  }

  /**
   * Whether to ask {@code peer}, which has not told what it holds of {@code group}, with our
   * group-sync: the first time only, until it tells.
   */
  boolean ask(GroupId group, UserName peer) {
    return known(group, peer).isEmpty() && asked.add(group.value() + " " + peer.key());
  }

  /** What {@code peer} told us it holds of {@code group}, if it told us anything this run. */
  Optional<Map<String, Long>> told(GroupId group, UserName peer) {
    return Optional.ofNullable(told.getOrDefault(group, Map.of()).get(peer));
  }

  /** {@code peer} told us what it holds of {@code group}. */
  void told(GroupId group, UserName peer, Map<String, Long> have) {
    of(told, group, peer); // an empty have tells too: it holds nothing
    have.forEach(
        (author, count) -> {
          of(known, group, peer).merge(author, count, Math::max);
          of(told, group, peer).merge(author, count, Math::max);
        });
  }

  /** {@code peer} sent us {@code entry}: it holds it, and all of its author's entries before. */
  void sentUs(GroupId group, UserName peer, LogEntry entry) {
    told(group, peer, Map.of(entry.author().key(), entry.seq()));
  }

  /** We sent {@code peer} {@code entry}: it will hold it, unless the link breaks first. */
  void sentThem(GroupId group, UserName peer, LogEntry entry) {
    of(known, group, peer).merge(entry.author().key(), entry.seq(), Math::max);
  }

  /** How many of {@code author}'s entries {@code peer} holds, as far as we know. */
  long count(GroupId group, UserName peer, UserName author) {
    return known
        .getOrDefault(group, Map.of())
        .getOrDefault(peer, Map.of())
        .getOrDefault(author.key(), 0L);
  }

  /** How many of our entries of {@code group} {@code peer} confirmed holding. */
  long confirmed(GroupId group, UserName peer) {
    return confirmed.getOrDefault(group, Map.of()).getOrDefault(peer, 0L);
  }

  /**
   * {@code peer} confirmed holding our entries of {@code group} up to {@code seq}: kept in the
   * profile. Returns how many it had confirmed before.
   */
  long confirm(GroupId group, UserName peer, long seq) {
    Map<UserName, Long> ours = confirmed.computeIfAbsent(group, g -> new HashMap<>());
    long before = ours.getOrDefault(peer, 0L);
    if (seq > before) {
      ours.put(peer, seq);
      try {
        store.setDelivered(group, peer, seq);
      } catch (ProfileException e) {
        log.warn("cannot record what {} holds of group {}: {}", peer, group, e.getMessage());
      }
    }
    return before;
  }

  /** Who of the recipients of {@code entry} (its author aside) hold it, as far as we know. */
  GroupDelivery delivery(GroupLog groupLog, LogEntry entry) {
    Set<UserName> recipients = new LinkedHashSet<>(groupLog.recipients(entry.hash()));
    recipients.remove(entry.author());
    Set<UserName> holding = new LinkedHashSet<>();
    for (UserName member : recipients) {
      long has =
          entry.author().equals(me)
              ? confirmed(groupLog.id(), member)
              : count(groupLog.id(), member, entry.author());
      if (has >= entry.seq()) {
        holding.add(member);
      }
    }
    return new GroupDelivery(holding, recipients);
  }

  private static Map<String, Long> of(
      Map<GroupId, Map<UserName, Map<String, Long>>> holdings, GroupId group, UserName peer) {
    return holdings
        .computeIfAbsent(group, g -> new HashMap<>())
        .computeIfAbsent(peer, p -> new HashMap<>());
  }
}
