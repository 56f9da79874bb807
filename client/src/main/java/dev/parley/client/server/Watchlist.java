package dev.parley.client.server;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The names a client watches in contacts presence mode, at most {@link
 * ClientMessage.Watch#MAX_WATCHED}, ordered by when they were last asked for. A name asked for
 * again moves to the front; past the limit the one asked for longest ago is dropped, so that a new
 * conversation is always watched and the server never refuses a watch for the number of names
 * (docs/client.md, "Presence modes"). Not thread-safe.
 */
final class Watchlist {
  /** What a call to {@link #add} changed: names to watch now, and names to stop watching. */
  record Change(List<UserName> added, List<UserName> dropped) {}

  private final int capacity;

  /** Least recently asked for first; names are equal regardless of case. */
  private final LinkedHashSet<UserName> names = new LinkedHashSet<>();

  Watchlist() {
    this(ClientMessage.Watch.MAX_WATCHED);
  }

  Watchlist(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Asks for {@code wanted}, the most wanted first: they become the most recent names, in that
   * order. A name already on the list only moves; a name of {@code wanted} that does not fit is
   * neither added nor dropped.
   */
  Change add(Collection<UserName> wanted) {
    List<UserName> order = new ArrayList<>(wanted);
    List<UserName> added = new ArrayList<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      UserName name = order.get(i);
      if (!names.remove(name)) {
        added.add(name);
      }
      names.add(name);
    }
    List<UserName> dropped = new ArrayList<>();
    while (names.size() > capacity) {
      UserName oldest = names.removeFirst();
      if (!added.remove(oldest)) {
        dropped.add(oldest);
      }
    }
    return new Change(added.reversed(), dropped);
  }

  boolean contains(UserName name) {
    return names.contains(name);
  }

  /** Every name on the list, the most recently asked for first. */
  List<UserName> mostRecentFirst() {
    return List.copyOf(names).reversed();
  }

  int size() {
    return names.size();
  }
}
