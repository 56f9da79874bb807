package dev.parley.server.session;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.UserName;
import dev.parley.server.presence.Member;
import dev.parley.server.presence.Presence;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Presence in memory without batching: a join answers everyone else online at once, and replaces an
 * earlier member of the same name as the contract says; {@link #beforeWelcome} is a frame it sends
 * a member during its join, as a presence batch may. Watches are only recorded, in {@link
 * #watchCalls}: what they do is {@code NodePresence}'s, tested there.
 */
final class FakePresence implements Presence {
  private final Map<UserName, Member> members = new ConcurrentHashMap<>();
  private volatile byte[] beforeWelcome = new byte[0];
  private volatile PresenceMode mode = PresenceMode.EVERYONE;
  private volatile @Nullable RuntimeException watchFailure;

  /** What each call of watch or unwatch was given, in order: "watch [a, b]", "unwatch [c]". */
  final List<String> watchCalls = new CopyOnWriteArrayList<>();

  void runIn(PresenceMode newMode) {
    mode = newMode;
  }

  /** Makes every later watch fail with {@code failure}, as presence does when it cannot answer. */
  void failWatches(RuntimeException failure) {
    watchFailure = failure;
  }

  @Override
  public PresenceMode mode() {
    return mode;
  }

  @Override
  public CompletionStage<Void> watch(Member member, Set<UserName> names) {
    watchCalls.add("watch " + names);
    RuntimeException failure = watchFailure;
    return failure == null
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(failure);
  }

  @Override
  public void unwatch(Member member, Set<UserName> names) {
    watchCalls.add("unwatch " + names);
  }

  void sendDuringJoin(byte[] frame) {
    beforeWelcome = frame;
  }

  @Override
  @SuppressWarnings(
      "ReferenceEquality") // a member is one session: the same object, not an equal one
  public CompletionStage<byte[]> join(Member member) {
    Member earlier = members.put(member.user().name(), member);
    if (earlier != null && earlier != member) {
      earlier.replaced();
    }
    if (beforeWelcome.length > 0) {
      member.send(beforeWelcome);
    }
    List<OnlineUser> others =
        mode == PresenceMode.CONTACTS
            ? List.of()
            : members.values().stream().filter(m -> m != member).map(Member::user).toList();
    return CompletableFuture.completedFuture(ServerCodec.encodeOnline(others));
  }

  @Override
  public void leave(Member member) {
    members.remove(member.user().name(), member);
  }

  @Override
  public CompletionStage<Boolean> deliver(UserName to, byte[] frame) {
    Member member = members.get(to);
    if (member != null) {
      member.send(frame);
    }
    return CompletableFuture.completedFuture(member != null);
  }

  boolean isOnline(UserName name) {
    return members.containsKey(name);
  }

  @Override
  public int localCount() {
    return members.size();
  }

  @Override
  public void close() {}
}
