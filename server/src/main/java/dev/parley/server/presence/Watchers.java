package dev.parley.server.presence;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Who watches whom among the members of this node, in contacts mode: an index from each name to the
 * members watching it, so that a change costs its watchers and not everyone online, and from each
 * member to its names, so that a member's watches go when it leaves. A presence spread over several
 * nodes keeps one per node, for its own members.
 *
 * <p>Answers to watches and batches are handed to members under one lock, and a change is made to
 * who is online before it is put in a batch. So a batch handed over before an answer tells nothing
 * newer than the answer, and one handed over after it nothing older. (A batch handed over just
 * before may still be on its way when the answer, written at once on the member's own thread, has
 * gone out: it then repeats an older state, and the state it leaves is the answer's or is followed
 * by a newer batch.) A watcher never ends on a stale state.
 */
final class Watchers {
  private final Map<UserName, Watched> byName = new HashMap<>();

  /** Each member's names, as the instances {@link #byName} holds: so told apart by identity. */
  private final IdentityHashMap<Member, IdentitySet<UserName>> byMember = new IdentityHashMap<>();

  private int size;

  /**
   * Adds {@code names} to those {@code member} watches and sends it their state, each name in
   * {@code joined} with its key if {@code online} finds it, else in {@code left} as spelled here.
   *
   * @return whether an answer was sent: not for an empty set
   * @throws WatchLimitException if the member would watch too many names; nothing is changed
   */
  synchronized boolean watch(
      Member member, Set<UserName> names, Function<UserName, @Nullable OnlineUser> online) {
    if (names.isEmpty()) {
      return false;
    }
    IdentitySet<UserName> mine = byMember.get(member);
    int watching = mine == null ? 0 : mine.size();
    int added = 0;
    for (UserName name : names) {
      Watched index = byName.get(name);
      if (mine == null || index == null || !mine.contains(index.name)) {
        added++;
      }
    }
    if (watching + added > ClientMessage.Watch.MAX_WATCHED) {
      throw new WatchLimitException(watching, added);
    }
    if (mine == null) {
      mine = new IdentitySet<>();
      byMember.put(member, mine);
    }
    List<OnlineUser> joined = new ArrayList<>();
    List<UserName> left = new ArrayList<>();
    for (UserName name : names) {
      OnlineUser user = online.apply(name);
      Watched index = byName.get(name);
      if (index == null) {
        // The name the presence holds for an online user, rather than a copy of the watch's own.
        index = new Watched(user != null ? user.name() : name);
        byName.put(index.name, index);
      }
      if (mine.add(index.name)) {
        index.add(member);
      }
      if (user != null) {
        joined.add(user);
      } else {
        left.add(name);
      }
    }
    size += added;
    member.send(ServerCodec.encode(new ServerMessage.Presence(joined, left)));
    return true;
  }

  /** Stops telling {@code member} of {@code names}; names it does not watch are ignored. */
  synchronized void unwatch(Member member, Set<UserName> names) {
    IdentitySet<UserName> mine = byMember.get(member);
    if (mine == null) {
      return;
    }
    for (UserName name : names) {
      Watched index = byName.get(name);
      if (index != null && mine.remove(index.name)) {
        forget(index, member);
      }
    }
    if (mine.isEmpty()) {
      byMember.remove(member);
    }
  }

  /** Drops every watch of {@code member}, which is leaving. */
  synchronized void drop(Member member) {
    IdentitySet<UserName> mine = byMember.remove(member);
    if (mine != null) {
      mine.forEach(
          name -> {
            Watched index = byName.get(name);
            if (index != null) {
              forget(index, member);
            }
          });
    }
  }

  /**
   * Sends each watcher of a changed name the changes it watches, as one presence frame. A member
   * with a single change gets the frame of that change, encoded once for all who get it alone.
   *
   * @return how many frames were sent
   */
  synchronized int send(ServerMessage.Presence changes) {
    IdentityHashMap<Member, Frame> frames = new IdentityHashMap<>();
    for (OnlineUser user : changes.joined()) {
      forEachWatcher(
          user.name(), member -> frames.computeIfAbsent(member, m -> new Frame()).joined.add(user));
    }
    for (UserName name : changes.left()) {
      forEachWatcher(
          name, member -> frames.computeIfAbsent(member, m -> new Frame()).left.add(name));
    }
    Map<ServerMessage.Presence, byte[]> alone = new HashMap<>();
    frames.forEach(
        (member, frame) -> {
          ServerMessage.Presence presence = new ServerMessage.Presence(frame.joined, frame.left);
          member.send(
              frame.joined.size() + frame.left.size() == 1
                  ? alone.computeIfAbsent(presence, ServerCodec::encode)
                  : ServerCodec.encode(presence));
        });
    return frames.size();
  }

  /**
   * The copy of {@code name} the watchers share if it is spelled alike, else {@code name} itself: a
   * user who joins on another node after being watched is then kept with that copy, not one more.
   */
  synchronized UserName shared(UserName name) {
    Watched index = byName.get(name);
    return index != null && index.name.value().equals(name.value()) ? index.name : name;
  }

  /** How many names are watched, summed over the members. */
  synchronized int size() {
    return size;
  }

  private void forEachWatcher(UserName name, Consumer<Member> action) {
    Watched watched = byName.get(name);
    if (watched != null) {
      watched.forEach(action);
    }
  }

  private void forget(Watched index, Member member) {
    index.remove(member);
    if (index.isEmpty()) {
      byName.remove(index.name);
    }
    size--;
  }

  /**
   * The members watching one name, and the one copy of that name their watch lists share: each
   * watch arrives with names of its own, and 20 watched names a member would otherwise hold 20
   * copies (about 1.3 KB) where one per name is enough. One object with its set: most names have
   * one watcher or a few.
   */
  private static final class Watched extends IdentitySet<Member> {
    final UserName name;

    Watched(UserName name) {
      this.name = name;
    }
  }

  /** The changes one member is to hear of in a batch. */
  private static final class Frame {
    final List<OnlineUser> joined = new ArrayList<>();
    final List<UserName> left = new ArrayList<>();
  }
}
