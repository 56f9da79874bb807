package dev.parley.client.chat;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.client.group.RejectedEntryException;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups we are not a member of yet (docs/p2p.md, "Joining a group"): a {@code create} that does
 * not list us starts one, its entries are checked as they come, and the first that makes us a
 * member hands it over. At most {@link #MAX_GROUPS}, each of at most {@link #MAX_ENTRIES}; the
 * oldest goes first. On the client's event loop only.
 */
final class AsideGroups {
  static final int MAX_GROUPS = 8;
  static final int MAX_ENTRIES = 4096;

  private static final Logger log = LoggerFactory.getLogger(AsideGroups.class);

  private final UserName me;
  private final Function<UserName, Optional<IdentityKey>> pinned;
  private final Map<GroupId, GroupLog> held = new LinkedHashMap<>();

  AsideGroups(UserName me, Function<UserName, Optional<IdentityKey>> pinned) {
    this.me = me;
    this.pinned = pinned;
  }

  /**
   * Takes {@code entry} of a group we do not hold, from {@code from}; returns the group's log if we
   * are now a member of it (it is then no longer held aside). What is rejected goes to {@code
   * rejected}.
   */
  Optional<GroupLog> take(UserName from, LogEntry entry, BiConsumer<GroupId, String> rejected) {
    GroupId group = entry.group();
    GroupLog groupLog = held.get(group);
    if (groupLog == null) {
      if (!(entry.op() instanceof Op.Create)) {
        rejected.accept(group, "an entry of a group we do not know");
        return Optional.empty();
      }
      try {
        groupLog = GroupLog.start(entry, pinned);
      } catch (RejectedEntryException e) {
        rejected.accept(group, e.getMessage());
        return Optional.empty();
      }
      if (held.size() >= MAX_GROUPS) {
        held.remove(held.keySet().iterator().next());
      }
      held.put(group, groupLog);
    } else if (groupLog.size() >= MAX_ENTRIES) {
      log.info("dropping an entry of group {} from {}: too many held aside", group, from);
      return Optional.empty();
    } else {
      groupLog.add(entry, pinned).rejected().forEach(r -> rejected.accept(group, r.why()));
    }
    if (!groupLog.members().isMember(me)) {
      return Optional.empty();
    }
    held.remove(group);
    return Optional.of(groupLog);
  }
}
