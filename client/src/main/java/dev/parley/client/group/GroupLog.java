package dev.parley.client.group;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One group's log as a member holds it (docs/p2p.md, "Groups"): it checks each entry against the
 * state of the entry's causal past before taking it, holds back entries whose parents have not come
 * yet, and answers what the group looks like: members, order, heads, what a peer lacks. Plain data
 * with no I/O; on the client's event loop only.
 */
public final class GroupLog {
  /** Entries held back for their parents, at most, per group. */
  static final int MAX_HELD = 1024;

  /** What an {@link #add} did. */
  public record Added(
      List<LogEntry> accepted, List<Rejected> rejected, boolean duplicate, boolean upgraded) {
    static final Added NOTHING = new Added(List.of(), List.of(), false, false);
  }

  /** An entry rejected, and why. */
  public record Rejected(LogEntry entry, String why) {}

  private final GroupId id;
  private final LogNode root;
  private final Map<String, LogNode> byHash = new HashMap<>();
  private final Map<UserName, List<LogNode>> byAuthor = new HashMap<>();
  private final LinkedHashSet<LogNode> heads = new LinkedHashSet<>();
  private final Set<LogNode> changes = new HashSet<>();
  private final IdentityHashMap<Set<LogNode>, Membership> states = new IdentityHashMap<>();
  private final Map<String, List<LogEntry>> held = new HashMap<>();
  private int heldCount;
  private Membership current;
  private List<LogNode> order = new ArrayList<>();
  private boolean ordered;

  private GroupLog(LogEntry create, String hash) {
    this.id = create.group();
    this.root = new LogNode(create, hash, List.of());
    index(root);
    this.current = Membership.of(changes);
  }

  /**
   * A log that starts with {@code create}, checked: its author is a founder and signed it with the
   * key it lists, which is the key pinned for that name if one is.
   *
   * @throws RejectedEntryException if it is not such a {@code create}
   */
  public static GroupLog start(LogEntry create, Function<UserName, Optional<IdentityKey>> pinned) {
    if (!(create.op() instanceof Op.Create op)) {
      throw new RejectedEntryException("the first entry of a group is not its create");
    }
    IdentityKey key =
        op.members().stream()
            .filter(m -> m.name().equals(create.author()))
            .map(MemberKey::key)
            .findFirst()
            .orElseThrow(
                () ->
                    new RejectedEntryException(
                        create.author() + " created a group without being in it"));
    checkPinned(create.author(), key, pinned);
    if (!create.verifies(key)) {
      throw new RejectedEntryException("forged: the signature of the create does not check");
    }
    return new GroupLog(create, create.hash());
  }

  /**
   * A log restored from entries the profile holds (checked when they arrived), in that order. One
   * whose parent was not stored (a write that failed) is held back, as one that came early is,
   * until a sync brings the parent again.
   */
  public static GroupLog restore(List<LogEntry> stored) {
    LogEntry create = stored.get(0);
    GroupLog log = new GroupLog(create, create.hash());
    for (LogEntry entry : stored.subList(1, stored.size())) {
      log.add(entry, name -> Optional.empty(), false);
    }
    return log;
  }

  public GroupId id() {
    return id;
  }

  public String title() {
    return ((Op.Create) root.entry.op()).title();
  }

  /** The group's creator. */
  public UserName creator() {
    return root.entry.author();
  }

  /** The members now, as all the changes held decide. */
  public Membership members() {
    return current;
  }

  /**
   * Checks {@code entry} and takes it if it belongs; then those held back that were waiting for it.
   * An entry whose parents are not all here is held back (up to {@link #MAX_HELD}), and taken once
   * they come. {@code pinned} gives the keys pinned for names: the log must agree with them.
   */
  public Added add(LogEntry entry, Function<UserName, Optional<IdentityKey>> pinned) {
    return add(entry, pinned, true);
  }

  private Added add(
      LogEntry entry, Function<UserName, Optional<IdentityKey>> pinned, boolean verify) {
    List<LogEntry> accepted = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    String hash = entry.hash();
    LogNode known = byHash.get(hash);
    if (known != null) {
      boolean upgrade = known.entry.isStub() && !entry.isStub() && entry.verifies(keyOf(known));
      if (upgrade) {
        known.entry = entry;
      }
      return new Added(List.of(), List.of(), !upgrade, upgrade);
    }
    Deque<LogEntry> todo = new ArrayDeque<>();
    todo.add(entry);
    boolean first = true;
    while (!todo.isEmpty()) {
      LogEntry next = todo.poll();
      String nextHash = first ? hash : next.hash();
      first = false;
      if (byHash.containsKey(nextHash)) {
        continue;
      }
      Optional<String> missing =
          next.parents().stream().filter(p -> !byHash.containsKey(p)).findFirst();
      if (missing.isPresent()) {
        if (verify && !signedByKnownKey(next)) {
          // Its causal past is not here to judge it by; but no key its author ever had signs it.
          rejected.add(new Rejected(next, "forged: no key " + next.author() + " has signs it"));
        } else if (heldCount < MAX_HELD) {
          held.computeIfAbsent(missing.get(), p -> new ArrayList<>()).add(next);
          heldCount++;
        }
        continue;
      }
      try {
        LogNode node = check(next, nextHash, pinned, verify);
        index(node);
        accepted.add(next);
        List<LogEntry> waiting = held.remove(nextHash);
        if (waiting != null) {
          heldCount -= waiting.size();
          todo.addAll(waiting);
        }
      } catch (RejectedEntryException e) {
        rejected.add(new Rejected(next, e.getMessage()));
      }
    }
    return accepted.isEmpty() && rejected.isEmpty()
        ? Added.NOTHING
        : new Added(accepted, rejected, false, false);
  }

  /**
   * Checks that {@code entry}, whose parents are all held, belongs in the log, without taking it:
   * so that our own entry is stored before it is taken.
   *
   * @throws RejectedEntryException if it does not
   */
  public void check(LogEntry entry, Function<UserName, Optional<IdentityKey>> pinned) {
    if (entry.parents().stream().anyMatch(p -> !byHash.containsKey(p))) {
      throw new RejectedEntryException("an entry whose parents are not all here");
    }
    check(entry, entry.hash(), pinned, true);
  }

  private LogNode check(
      LogEntry entry,
      String hash,
      Function<UserName, Optional<IdentityKey>> pinned,
      boolean verify) {
    UserName author = entry.author();
    if (entry.op() instanceof Op.Create) {
      throw new RejectedEntryException(
          "a second create for group " + id + ": a group has one root");
    }
    List<LogNode> previous = byAuthor.getOrDefault(author, List.of());
    if (previous.size() >= entry.seq()) {
      throw new RejectedEntryException(
          "a fork: " + author + " wrote two different entries " + entry.seq());
    }
    if (previous.size() != entry.seq() - 1
        || (entry.seq() > 1 && !entry.parents().contains(previous.getLast().hash))) {
      throw new RejectedEntryException(
          author + "'s entry " + entry.seq() + " does not follow its entry " + (entry.seq() - 1));
    }
    List<LogNode> parents = entry.parents().stream().map(byHash::get).toList();
    LogNode node = new LogNode(entry, hash, parents);
    Membership before = state(node.pastChanges);
    IdentityKey key =
        before
            .key(author)
            .orElseThrow(
                () -> new RejectedEntryException(author + " is not a member of the group"));
    checkPinned(author, key, pinned);
    if (verify && !entry.verifies(key)) {
      throw new RejectedEntryException(
          "forged: the signature of " + author + "'s entry does not check");
    }
    switch (entry.op()) {
      case Op.Add add -> {
        requireAdmin(before, author, "add members");
        if (before.isMember(add.member().name())) {
          throw new RejectedEntryException(add.member().name() + " is a member already");
        }
        if (before.size() >= Op.MAX_MEMBERS) {
          throw new RejectedEntryException("a group has at most " + Op.MAX_MEMBERS + " members");
        }
      }
      case Op.Remove remove -> {
        requireAdmin(before, author, "remove members");
        requireMember(before, remove.member());
      }
      case Op.MakeAdmin admin -> {
        requireAdmin(before, author, "make admins");
        requireMember(before, admin.member());
      }
      case Op.Create create -> throw new AssertionError("checked above");
      case Op.Leave leave -> {}
      case Op.Content content -> {}
    }
    return node;
  }

  /** Whether a key the log ever gave {@code entry}'s author signs it (so it may belong). */
  private boolean signedByKnownKey(LogEntry entry) {
    return everAdded()
        .filter(m -> m.name().equals(entry.author()))
        .anyMatch(m -> entry.verifies(m.key()));
  }

  private static void requireAdmin(Membership state, UserName author, String what) {
    if (!state.isAdmin(author)) {
      throw new RejectedEntryException(author + " is not an admin, and only admins " + what);
    }
  }

  private static void requireMember(Membership state, UserName name) {
    if (!state.isMember(name)) {
      throw new RejectedEntryException(name + " is not a member of the group");
    }
  }

  private static void checkPinned(
      UserName author, IdentityKey key, Function<UserName, Optional<IdentityKey>> pinned) {
    Optional<IdentityKey> pin = pinned.apply(author);
    if (pin.isPresent() && !pin.get().equals(key)) {
      throw new RejectedEntryException(
          "forged: the group gives " + author + " another key than the one pinned for them");
    }
  }

  private void index(LogNode node) {
    byHash.put(node.hash, node);
    byAuthor.computeIfAbsent(node.entry.author(), a -> new ArrayList<>()).add(node);
    node.parents.forEach(
        p -> {
          p.children.add(node);
          heads.remove(p);
        });
    heads.add(node);
    if (node.entry.op().isChange()) {
      changes.add(node);
      current = Membership.of(changes);
    }
    if (ordered) {
      place(node);
    }
  }

  /**
   * Puts {@code node}, which nothing held descends from, into the order as Kahn's algorithm would:
   * the others keep their places, and it goes before the first entry after its last parent that has
   * a greater hash (the one the algorithm would have taken instead of it), or last. Usually it
   * names the heads, so the walk back from the end is short.
   */
  private void place(LogNode node) {
    Set<LogNode> parents = new HashSet<>(node.parents);
    int at = order.size();
    for (int i = order.size() - 1; i >= 0; i--) {
      LogNode before = order.get(i);
      if (parents.contains(before)) {
        break;
      }
      if (before.hash.compareTo(node.hash) > 0) {
        at = i;
      }
    }
    order.add(at, node);
  }

  private Membership state(Set<LogNode> changeSet) {
    return states.computeIfAbsent(changeSet, Membership::of);
  }

  private IdentityKey keyOf(LogNode node) {
    return state(node.pastChanges).key(node.entry.author()).orElseThrow();
  }

  /** Every entry held, in the order every member shows them (docs/p2p.md, "Order"). */
  public List<LogEntry> ordered() {
    return nodes().stream().map(n -> n.entry).toList();
  }

  private List<LogNode> nodes() {
    if (!ordered) {
      order = LogOrder.of(byHash.values());
      ordered = true;
    }
    return order;
  }

  public Optional<LogEntry> entry(String hash) {
    return Optional.ofNullable(byHash.get(hash)).map(n -> n.entry);
  }

  /** {@code author}'s entry {@code seq}, if held. */
  public Optional<LogEntry> entry(UserName author, long seq) {
    List<LogNode> own = byAuthor.getOrDefault(author, List.of());
    return seq >= 1 && seq <= own.size()
        ? Optional.of(own.get((int) seq - 1).entry)
        : Optional.empty();
  }

  public int size() {
    return byHash.size();
  }

  /**
   * Who an entry is for: the members of its causal past and the members after it (so the one an
   * {@code add} adds and the one a {@code remove} removes both get it).
   */
  public Set<UserName> recipients(String hash) {
    LogNode node = byHash.get(hash);
    if (node == null) {
      return Set.of();
    }
    Set<UserName> result = new HashSet<>(state(node.pastChanges).names());
    result.addAll(state(node.changesUpToHere).names());
    return result;
  }

  /** Whether {@code name} was ever added to the group. */
  public boolean everMember(UserName name) {
    return everAdded().anyMatch(m -> m.name().equals(name));
  }

  /** Everyone a change of the log ever added, with the key it gave them. */
  private Stream<MemberKey> everAdded() {
    return changes.stream()
        .flatMap(
            c ->
                switch (c.entry.op()) {
                  case Op.Create create -> create.members().stream();
                  case Op.Add add -> Stream.of(add.member());
                  default -> Stream.<MemberKey>empty();
                });
  }

  /** Per author, in lower case, how many of its entries are held: all of 1 to that number. */
  public Map<String, Long> have() {
    Map<String, Long> have = new HashMap<>();
    byAuthor.forEach((author, entries) -> have.put(author.key(), (long) entries.size()));
    return have;
  }

  /** How many of {@code author}'s entries are held: all of 1 to that number. */
  public long count(UserName author) {
    return byAuthor.getOrDefault(author, List.of()).size();
  }

  /** The next {@code seq} of {@code author}. */
  public long nextSeq(UserName author) {
    return count(author) + 1;
  }

  /**
   * The parents of {@code author}'s next entry: the heads, at most {@link LogEntry#MAX_PARENTS}
   * (its own previous entry and the heads that came last).
   */
  public List<String> parentsFor(UserName author) {
    List<String> parents = new ArrayList<>();
    List<LogNode> own = byAuthor.getOrDefault(author, List.of());
    if (!own.isEmpty()) {
      parents.add(own.getLast().hash);
    }
    List<LogNode> latest = new ArrayList<>(heads);
    for (int i = latest.size() - 1; i >= 0 && parents.size() < LogEntry.MAX_PARENTS; i--) {
      if (!parents.contains(latest.get(i).hash)) {
        parents.add(latest.get(i).hash);
      }
    }
    return parents;
  }

  /**
   * What {@code peer}, holding {@code have} (per author, in lower case), lacks and may get, in
   * order: each entry of which it is a recipient whole, and the ancestors of those that it needs to
   * check them, a message among them as a stub (docs/p2p.md, "Who gets what").
   */
  public List<LogEntry> lacking(UserName peer, Map<String, Long> have) {
    List<LogNode> all = nodes();
    Set<LogNode> candidates = new HashSet<>();
    for (LogNode node : all) {
      if (node.entry.seq() > have.getOrDefault(node.entry.author().key(), 0L)) {
        candidates.add(node);
      }
    }
    Set<LogNode> whole = new HashSet<>();
    for (LogNode node : candidates) {
      if (recipients(node.hash).contains(peer)) {
        whole.add(node);
      }
    }
    Set<LogNode> needed = new HashSet<>(whole);
    Deque<LogNode> walk = new ArrayDeque<>(whole);
    while (!walk.isEmpty()) {
      for (LogNode parent : walk.poll().parents) {
        if (candidates.contains(parent) && needed.add(parent)) {
          walk.add(parent);
        }
      }
    }
    List<LogEntry> result = new ArrayList<>();
    for (LogNode node : all) {
      if (needed.contains(node)) {
        result.add(whole.contains(node) ? node.entry : node.entry.stub());
      }
    }
    return result;
  }
}
