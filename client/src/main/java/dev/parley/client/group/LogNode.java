package dev.parley.client.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An entry in a {@link GroupLog}: the entry, its hash, its parents, and the changes among its
 * ancestors, from which the membership of its causal past is computed. Sets of changes are shared
 * between entries wherever they are equal (a message adds none), so a long history costs little.
 */
final class LogNode {
  /** The entry as held: a stub is replaced by the whole message if that comes. */
  LogEntry entry;

  final String hash;
  final List<LogNode> parents;

  /** The entries that name this one as a parent, in the order they were added. */
  final List<LogNode> children = new ArrayList<>();

  /** The change entries among this entry's ancestors (not itself). */
  final Set<LogNode> pastChanges;

  /** {@link #pastChanges}, and this entry if it is a change: what its children inherit. */
  final Set<LogNode> changesUpToHere;

  LogNode(LogEntry entry, String hash, List<LogNode> parents) {
    this.entry = entry;
    this.hash = hash;
    this.parents = parents;
    this.pastChanges = union(parents);
    if (entry.op().isChange()) {
      Set<LogNode> withSelf = new HashSet<>(pastChanges);
      withSelf.add(this);
      this.changesUpToHere = Set.copyOf(withSelf);
    } else {
      this.changesUpToHere = pastChanges;
    }
  }

  private static Set<LogNode> union(List<LogNode> parents) {
    if (parents.isEmpty()) {
      return Set.of();
    }
    Set<LogNode> first = parents.get(0).changesUpToHere;
    boolean same = parents.stream().allMatch(p -> p.changesUpToHere.equals(first));
    if (same) {
      return first;
    }
    Set<LogNode> all = new HashSet<>();
    parents.forEach(p -> all.addAll(p.changesUpToHere));
    return Set.copyOf(all);
  }

  /** Whether this node is a change among {@code node}'s ancestors. */
  boolean isChangeBefore(LogNode node) {
    return node.pastChanges.contains(this);
  }

  @Override
  public String toString() {
    return entry.author()
        + "#"
        + entry.seq()
        + " "
        + entry.op().wire()
        + " "
        + hash.substring(0, 8);
  }
}
