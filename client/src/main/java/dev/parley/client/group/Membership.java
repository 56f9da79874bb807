package dev.parley.client.group;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is in a group, as a set of change entries closed under causes decides (docs/p2p.md, "Who is a
 * member"): X is a member if an entry that adds X is not among the ancestors of an entry that ends
 * X's membership (so a concurrent add wins), an admin likewise. It depends on causality alone, not
 * on the order entries arrived in, so every member computes the same.
 */
public record Membership(Map<UserName, Member> members) {
  /** A member: its name as the log spells it, its identity key, and whether it is an admin. */
  public record Member(UserName name, IdentityKey key, boolean admin) {}

  public Membership {
    members = Map.copyOf(members);
  }

  static Membership of(Collection<LogNode> changes) {
    Map<UserName, List<LogNode>> adds = new LinkedHashMap<>();
    Map<LogNode, MemberKey> added = new HashMap<>();
    Map<UserName, List<LogNode>> admins = new HashMap<>();
    Map<UserName, List<LogNode>> ends = new HashMap<>();
    for (LogNode change : changes) {
      LogEntry entry = change.entry;
      switch (entry.op()) {
        case Op.Create create -> {
          // One node adds every founder: keep the key per name.
          for (MemberKey member : create.members()) {
            adds.computeIfAbsent(member.name(), n -> new ArrayList<>()).add(change);
          }
          admins.computeIfAbsent(entry.author(), n -> new ArrayList<>()).add(change);
        }
        case Op.Add add -> {
          adds.computeIfAbsent(add.member().name(), n -> new ArrayList<>()).add(change);
          added.put(change, add.member());
        }
        case Op.Remove remove ->
            ends.computeIfAbsent(remove.member(), n -> new ArrayList<>()).add(change);
        case Op.MakeAdmin admin ->
            admins.computeIfAbsent(admin.member(), n -> new ArrayList<>()).add(change);
        case Op.Leave leave ->
            ends.computeIfAbsent(entry.author(), n -> new ArrayList<>()).add(change);
        case Op.Content content -> throw new IllegalArgumentException("a message is no change");
      }
    }
    Map<UserName, Member> members = new HashMap<>();
    adds.forEach(
        (name, adding) -> {
          List<LogNode> ending = ends.getOrDefault(name, List.of());
          Optional<LogNode> effective =
              adding.stream()
                  .filter(a -> standing(a, ending))
                  .min(Comparator.comparing((LogNode a) -> a.hash));
          effective.ifPresent(
              a -> {
                MemberKey key = added.containsKey(a) ? added.get(a) : founder(a, name);
                boolean admin =
                    admins.getOrDefault(name, List.of()).stream()
                        .anyMatch(m -> standing(m, ending));
                members.put(name, new Member(key.name(), key.key(), admin));
              });
        });
    return new Membership(members);
  }

  /** Whether {@code change} is not undone: no entry of {@code ending} had it among its causes. */
  private static boolean standing(LogNode change, List<LogNode> ending) {
    return ending.stream().noneMatch(change::isChangeBefore);
  }

  private static MemberKey founder(LogNode create, UserName name) {
    return ((Op.Create) create.entry.op())
        .members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  public boolean isMember(UserName name) {
    return members.containsKey(name);
  }

  public boolean isAdmin(UserName name) {
    Member member = members.get(name);
    return member != null && member.admin();
  }

  public Optional<IdentityKey> key(UserName name) {
    return Optional.ofNullable(members.get(name)).map(Member::key);
  }

  public Set<UserName> names() {
    return members.keySet();
  }

  public int size() {
    return members.size();
  }
}
