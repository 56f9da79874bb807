package dev.parley.client.chat;

import dev.parley.client.group.EntryJson;
import dev.parley.client.group.Group;
import dev.parley.client.group.GroupDelivery;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.MemberKey;
import dev.parley.client.group.Membership;
import dev.parley.client.group.Op;
import dev.parley.client.group.RejectedEntryException;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.GroupStore;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of one client as its event loop runs them (docs/p2p.md, "Groups"): the logs, kept in
 * the profile; our entries signed and stored; entries from links checked, stored (a turn's in one
 * commit) and shown. Who gets which entries is {@link GroupSending}'s, which links open {@link
 * GroupReach}'s (lazily, within {@link GroupReach#MAX_LINKS}), files' bytes {@link GroupFiles}' and
 * typing {@link GroupTypists}'. On the client's event loop only.
 */
final class Groups {
  private static final Logger log = LoggerFactory.getLogger(Groups.class);

  private final Signaling server;
  private final KeyPins pins;
  private final GroupStore store;
  private final ChatListener listener;
  private final EventLoop loop;
  private final UserName me;
  private final Map<GroupId, GroupLog> logs = new LinkedHashMap<>();
  private final AsideGroups aside;
  private final Rejections rejections;
  private final Holdings holdings;
  private final GroupReach reach;
  private final GroupSending sending;
  private final GroupFiles files;
  private final GroupTypists typists;
  // The entries the links brought this turn, taken in together (takeArrivals).
  private final List<Arrival> arrivals = new ArrayList<>();
  // While arrivals are taken in: what is shown once their writes are committed.
  private @Nullable List<Runnable> afterCommit;

  /** Takes up the groups {@code store} holds. */
  Groups(
      Signaling server,
      KeyPins pins,
      GroupStore store,
      ChatListener listener,
      EventLoop loop,
      Consumer<UserName> connect,
      FileSender sender,
      Path downloads,
      long maxFileBytes) {
    this.server = server;
    this.pins = pins;
    this.store = store;
    this.listener = listener;
    this.loop = loop;
    this.me = server.name();
    this.holdings = new Holdings(store, me);
    this.reach = new GroupReach(server, holdings, connect);
    this.sending = new GroupSending(holdings, reach, listener, loop, me, logs::get);
    this.aside = new AsideGroups(me, this::pinned);
    this.rejections = new Rejections(listener, loop);
    this.files =
        new GroupFiles(store, sender, downloads, maxFileBytes, listener, loop, me, logs::get);
    this.typists = new GroupTypists(listener, loop, me, logs::get);
  }

  /**
   * Reads the logs from the profile and hands the listener, oldest first, the messages stored but
   * never shown; before anything can arrive. Returns how many.
   */
  int load() {
    int unshown = 0;
    for (var group : store.groups().entrySet()) {
      List<LogEntry> entries = new ArrayList<>();
      for (GroupStore.Stored stored : group.getValue()) {
        entries.add(EntryJson.decode(dev.parley.protocol.Json.parse(stored.json())));
      }
      GroupLog restored = GroupLog.restore(entries);
      logs.put(group.getKey(), restored);
      holdings.load(group.getKey());
      files.load(restored, entries);
      if (listener.showsReceived()) {
        for (GroupStore.Stored stored : group.getValue()) {
          if (!stored.shown()) {
            restored.entry(stored.hash()).ifPresent(this::show);
            unshown++;
          }
        }
      }
    }
    return unshown;
  }

  void links(PeerLinks links) {
    reach.links(links);
    sending.links(links);
    files.links(links);
    typists.links(links);
    watchEveryone();
  }

  // --- what the user does

  GroupId create(String title, Collection<UserName> members) {
    List<MemberKey> founders = new ArrayList<>();
    founders.add(new MemberKey(me, server.identity().publicKey()));
    for (UserName member : new LinkedHashSet<>(members)) {
      if (!member.equals(me)) {
        founders.add(new MemberKey(member, keyOf(member)));
      }
    }
    LogEntry create =
        LogEntry.sign(
            server.identity(),
            GroupId.random(),
            me,
            1,
            System.currentTimeMillis(),
            List.of(),
            new Op.Create(title, founders));
    GroupLog started = GroupLog.start(create, this::pinned);
    store.add(create.group(), create.hash(), EntryJson.encode(create).toString(), true);
    logs.put(create.group(), started);
    listener.groupChanged(create);
    var unused = server.watch(started.members().names());
    sending.deliver(started, create);
    return create.group();
  }

  LogEntry send(GroupId group, String text) {
    return write(group, Op.Text.of(text));
  }

  /** Shares {@code file} with the group. */
  LogEntry sendFile(GroupId group, LocalFile file) {
    LogEntry entry = write(group, Op.File.of(file.name(), file.mime(), file.size(), file.sha256()));
    files.sent(entry, file.path());
    return entry;
  }

  /** The user types in {@code group}, or stopped. */
  void typing(GroupId group, boolean active) {
    typists.typing(group, active);
  }

  /** Where the bytes of file entry {@code hash} are, if we hold them. */
  Optional<Path> file(GroupId group, String hash) {
    return files.file(group, hash);
  }

  GroupFiles files() {
    return files;
  }

  GroupTypists typists() {
    return typists;
  }

  LogEntry add(GroupId group, UserName member) {
    LogEntry added = write(group, new Op.Add(new MemberKey(member, keyOf(member))));
    var unused = server.watch(List.of(member));
    return added;
  }

  LogEntry remove(GroupId group, UserName member) {
    return write(group, new Op.Remove(member));
  }

  LogEntry makeAdmin(GroupId group, UserName member) {
    return write(group, new Op.MakeAdmin(member));
  }

  LogEntry leave(GroupId group) {
    return write(group, new Op.Leave());
  }

  /** Signs {@code op} as our next entry of {@code group}, stores it and delivers it. */
  private LogEntry write(GroupId group, Op op) {
    GroupLog groupLog = logOf(group);
    LogEntry entry =
        LogEntry.sign(
            server.identity(),
            group,
            me,
            groupLog.nextSeq(me),
            System.currentTimeMillis(),
            groupLog.parentsFor(me),
            op);
    int bytes =
        new ChannelMessage.GroupEntry(entry).encode().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > PeerLink.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "the message is too long: "
              + bytes
              + " bytes encoded, at most "
              + PeerLink.MAX_MESSAGE_BYTES);
    }
    try {
      groupLog.check(entry, this::pinned);
    } catch (RejectedEntryException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    // Stored before it is taken: a write that fails leaves the log as it was.
    store.add(group, entry.hash(), EntryJson.encode(entry).toString(), true);
    groupLog.add(entry, this::pinned);
    typists.sent(group);
    if (op.isChange()) {
      listener.groupChanged(entry);
    }
    sending.deliver(groupLog, entry);
    return entry;
  }

  List<Group> groups() {
    return logs.values().stream().map(this::view).toList();
  }

  Optional<Group> group(GroupId group) {
    return Optional.ofNullable(logs.get(group)).map(this::view);
  }

  /** The last {@code limit} entries of {@code group} we may read, in the order all members show. */
  List<LogEntry> history(GroupId group, int limit) {
    GroupLog groupLog = logOf(group);
    List<LogEntry> readable =
        groupLog.ordered().stream()
            .filter(e -> !e.isStub())
            .filter(e -> e.op().isChange() || groupLog.recipients(e.hash()).contains(me))
            .toList();
    return readable.subList(Math.max(0, readable.size() - limit), readable.size());
  }

  /** Who of the recipients of entry {@code hash} (its author aside) hold it, as far as we know. */
  GroupDelivery delivery(GroupId group, String hash) {
    GroupLog groupLog = logOf(group);
    LogEntry entry =
        groupLog
            .entry(hash)
            .orElseThrow(() -> new IllegalArgumentException("no entry " + hash + " in " + group));
    return holdings.delivery(groupLog, entry);
  }

  // --- what links bring

  /** An entry from {@code link}: taken in with the others that arrive in this turn of the loop. */
  void received(PeerLink link, LogEntry entry) {
    if (arrivals.isEmpty() && !loop.post(this::takeArrivals)) {
      return; // closing
    }
    arrivals.add(new Arrival(link, entry));
  }

  private record Arrival(PeerLink link, LogEntry entry) {}

  /**
   * Takes in the entries that arrived: their writes committed together (a group commit, not one per
   * entry), then what they show shown, and marked shown together.
   */
  private void takeArrivals() {
    List<Arrival> batch = List.copyOf(arrivals);
    arrivals.clear();
    List<Runnable> after = new ArrayList<>();
    afterCommit = after;
    try {
      store.inTransaction(() -> batch.forEach(a -> take(a.link(), a.entry())));
    } catch (ProfileException e) {
      // Held in memory only, not shown: after a restart a sync brings them again.
      after.clear();
      listener.problem(
          batch.getFirst().link().peer(), "Cannot store group messages: " + e.getMessage());
    } finally {
      afterCommit = null;
    }
    if (after.isEmpty()) {
      return;
    }
    try {
      store.inTransaction(() -> after.forEach(Runnable::run));
    } catch (ProfileException e) {
      log.warn("cannot mark group messages as shown: {}", e.getMessage());
    }
  }

  /** Runs {@code shown} once the arrivals' writes are committed, or now outside of them. */
  private void later(Runnable shown) {
    if (afterCommit != null) {
      afterCommit.add(shown);
    } else {
      shown.run();
    }
  }

  private void take(PeerLink link, LogEntry entry) {
    UserName from = link.peer();
    GroupId group = entry.group();
    GroupLog groupLog = logs.get(group);
    if (groupLog == null) {
      aside
          .take(from, entry, (id, why) -> rejected(from, id, why))
          .ifPresent(joined -> adopt(joined, link));
      return;
    }
    GroupLog.Added added = groupLog.add(entry, this::pinned);
    added.rejected().forEach(r -> rejected(from, group, r.why()));
    if (added.rejected().stream().noneMatch(r -> r.entry().equals(entry))) {
      holdings.sentUs(group, from, entry);
    }
    if (added.upgraded()) {
      LogEntry whole = groupLog.entry(entry.hash()).orElseThrow();
      boolean showable = showable(groupLog, whole);
      store.replace(group, whole.hash(), EntryJson.encode(whole).toString(), !showable);
      if (showable) {
        show(whole);
      }
    }
    for (LogEntry accepted : added.accepted()) {
      took(groupLog, accepted, link);
      // Its author learns that we hold it, if a link to them is open.
      sending.openLink(accepted.author()).ifPresent(toAuthor -> sending.owe(toAuthor, group));
    }
    if (!added.accepted().isEmpty() || added.upgraded()) {
      sending.owe(link, group);
    }
  }

  /** We became a member of a group held aside: it is stored, and what is for us shown. */
  private void adopt(GroupLog groupLog, PeerLink link) {
    GroupId group = groupLog.id();
    logs.put(group, groupLog);
    holdings.load(group);
    for (LogEntry entry : groupLog.ordered()) {
      took(groupLog, entry, link);
    }
    var unused = server.watch(groupLog.members().names());
    sending.owe(link, group);
  }

  /** {@code entry} joined the log: stored, shown if it is for us, forwarded to who lacks it. */
  private void took(GroupLog groupLog, LogEntry entry, PeerLink from) {
    boolean showable = showable(groupLog, entry);
    boolean fresh;
    try {
      fresh = store.add(groupLog.id(), entry.hash(), EntryJson.encode(entry).toString(), !showable);
    } catch (ProfileException e) {
      // Held in memory only: after a restart a sync brings it again.
      listener.problem(from.peer(), "Cannot store a group message: " + e.getMessage());
      return;
    }
    if (!fresh) {
      // Stored by an earlier run, which waited for its parent: shown then, if it was to be.
    } else if (showable) {
      show(entry);
    } else if (entry.op().isChange() && groupLog.recipients(entry.hash()).contains(me)) {
      later(() -> listener.groupChanged(entry));
    }
    later(() -> typists.wrote(entry));
    files.took(groupLog, entry, from);
    sending.forward(groupLog, entry, from);
  }

  private boolean showable(GroupLog groupLog, LogEntry entry) {
    return entry.op() instanceof Op.Content
        && !entry.isStub()
        && !entry.author().equals(me)
        && groupLog.recipients(entry.hash()).contains(me);
  }

  private void show(LogEntry message) {
    if (afterCommit != null) {
      later(() -> show(message));
      return;
    }
    listener.groupMessage(message);
    if (listener.showsReceived()) {
      try {
        store.markShown(message.group(), message.hash());
      } catch (ProfileException e) {
        log.warn("cannot mark group message {} as shown: {}", message.hash(), e.getMessage());
      }
    }
  }

  void sync(PeerLink link, ChannelMessage.GroupSync sync) {
    sending.sync(link, sync);
  }

  void linkOpened(PeerLink link) {
    sending.linkOpened(link, logs.values());
    files.linkOpened(link);
  }

  void linkGone(PeerLink link) {
    sending.linkGone(link);
    files.linkGone(link);
    typists.linkGone(link.peer());
  }

  /** A member came online. */
  void joined(UserName peer) {
    reach.joined(logs.values(), peer);
  }

  /** We are online (again). */
  void online() {
    watchEveryone();
    reach.online(logs.values());
  }

  /** Every second: links for the groups, resends, and files and typing that stalled. */
  void tick() {
    reach.tick(logs.values());
    sending.tick(logs.values());
    files.tick();
    typists.tick();
  }

  // --- bookkeeping

  private void rejected(UserName from, GroupId group, String why) {
    rejections.report(from, group, why);
  }

  private GroupLog logOf(GroupId group) {
    GroupLog groupLog = logs.get(group);
    if (groupLog == null) {
      throw new IllegalArgumentException("no group " + group);
    }
    return groupLog;
  }

  private Group view(GroupLog groupLog) {
    Set<UserName> online = server.online();
    List<Group.Member> members =
        groupLog.members().members().values().stream()
            .sorted(
                Comparator.comparing((Membership.Member m) -> !m.admin())
                    .thenComparing(m -> m.name().key()))
            .map(
                m ->
                    new Group.Member(
                        m.name(), m.admin(), m.name().equals(me) || online.contains(m.name())))
            .toList();
    return new Group(
        groupLog.id(),
        groupLog.title(),
        groupLog.creator(),
        members,
        groupLog.members().isMember(me));
  }

  /** The key to name {@code member} by: the one pinned, else the one the server presents now. */
  private IdentityKey keyOf(UserName member) {
    return pins.pinned(member)
        .or(() -> server.onlineKey(member).map(key -> pins.pinIfAbsent(member, key)))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no key is known for "
                        + member
                        + ": they must be online, or someone you have talked to"));
  }

  /** The key a name must have in a log: ours for us, the pinned one for others, if any. */
  private Optional<IdentityKey> pinned(UserName name) {
    return name.equals(me) ? Optional.of(server.identity().publicKey()) : pins.pinned(name);
  }

  /** Asks the server to tell of every member of our groups (in contacts presence mode). */
  private void watchEveryone() {
    Set<UserName> names = new LinkedHashSet<>();
    logs.values().forEach(g -> names.addAll(g.members().names()));
    names.remove(me);
    if (!names.isEmpty()) {
      var unused = server.watch(names);
    }
  }
}
