package dev.parley.server.session;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerCodec;
import dev.parley.protocol.UserName;
import dev.parley.server.presence.Member;
import dev.parley.server.presence.Presence;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence in memory without batching: a join answers everyone else online at once, and replaces an
 * earlier member of the same name as the contract says; {@link #beforeWelcome} is a frame it sends
 * a member during its join, as a presence batch may.
 */
final class FakePresence implements Presence {
  private final Map<UserName, Member> members = new ConcurrentHashMap<>();
  private volatile byte[] beforeWelcome = new byte[0];

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
        members.values().stream().filter(m -> m != member).map(Member::user).toList();
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
