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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 * the profile; our entries signed, stored and delivered to the recipients online, opening links to
 * them lazily within {@link GroupReach#MAX_LINKS}; entries from links checked, stored, shown and
 * forwarded; the sync that fills a member's gaps from whoever is online. On the client's event loop
 * only.
 */
final class Groups {
  /** An entry a member has not confirmed this long after it was sent is sent again. */
  static final Duration RESEND_AFTER = Duration.ofSeconds(10);

  /** The longest wait between two resends to one member. */
  static final Duration RESEND_MAX = Duration.ofMinutes(5);

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
  private final GroupFiles files;
  private final GroupTypists typists;
  // The entries the links brought this turn, taken in together (takeArrivals).
  private final List<Arrival> arrivals = new ArrayList<>();
  // While arrivals are taken in: what is shown once their writes are committed.
  private @Nullable List<Runnable> afterCommit;
  // The group-syncs we owe a link for what it brought: sent once the loop's turn ends.
  private final Map<PeerLink, Set<GroupId>> owed = new LinkedHashMap<>();
  // Per group and member with our entries unconfirmed: when they go again, and the wait after.
  private final Map<GroupId, Map<UserName, long[]>> resends = new HashMap<>();
  private @Nullable PeerLinks links;

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
      files.load(restored);
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
    this.links = links;
    reach.links(links);
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
    deliver(started, create);
    return create.group();
  }

  LogEntry send(GroupId group, String text) {
    return write(group, Op.Text.of(text));
  }

  /** Shares the file at {@code path}, whose size and SHA-256 are given, with the group. */
  LogEntry sendFile(GroupId group, Path path, long size, String sha256, String mime) {
    LogEntry entry = write(group, Op.File.of(path.getFileName().toString(), mime, size, sha256));
    files.sent(entry, path);
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
    deliver(groupLog, entry);
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
      openLink(accepted.author()).ifPresent(toAuthor -> owe(toAuthor, group));
    }
    if (!added.accepted().isEmpty() || added.upgraded()) {
      owe(link, group);
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
    owe(link, group);
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
    forward(groupLog, entry, from);
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
    UserName peer = link.peer();
    GroupLog groupLog = logs.get(sync.group());
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

  void linkOpened(PeerLink link) {
    UserName peer = link.peer();
    for (GroupLog groupLog : logs.values()) {
      Membership members = groupLog.members();
      if (members.isMember(me) && members.isMember(peer)) {
        link.trySend(new ChannelMessage.GroupSync(groupLog.id(), groupLog.have()));
      }
    }
    files.linkOpened(link);
  }

  void linkGone(PeerLink link) {
    owed.remove(link);
    files.linkGone(link);
    typists.linkGone(link.peer());
  }

  // --- delivery and catching up

  /** Sends our new {@code entry} to its recipients online, opening links to them as needed. */
  private void deliver(GroupLog groupLog, LogEntry entry) {
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
  private void forward(GroupLog groupLog, LogEntry entry, PeerLink from) {
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

  /** A member came online. */
  void joined(UserName peer) {
    reach.joined(logs.values(), peer);
  }

  /** We are online (again). */
  void online() {
    watchEveryone();
    reach.online(logs.values());
  }

  /**
   * Every second: links to members who owe us a confirmation; and on an open link, our entries a
   * member has not confirmed 10 s after they became due go again (it may have failed to store
   * them), then after twice as long each time, up to 5 minutes. To a member that never told us what
   * it holds, a group-sync goes instead, whose answer brings it what it lacks.
   */
  void tick() {
    reach.tick(logs.values());
    files.tick();
    typists.tick();
    long now = loop.nanoTime();
    for (GroupLog groupLog : logs.values()) {
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

  private Optional<PeerLink> openLink(UserName peer) {
    return links == null ? Optional.empty() : links.link(peer).filter(PeerLink::isOpen);
  }

  private void owe(PeerLink link, GroupId group) {
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
            GroupLog groupLog = logs.get(group);
            if (groupLog != null && link.isOpen()) {
              link.trySend(new ChannelMessage.GroupSync(group, groupLog.have()));
            }
          }
        });
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
