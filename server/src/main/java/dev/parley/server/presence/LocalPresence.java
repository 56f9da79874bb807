package dev.parley.server.presence;

import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import dev.parley.server.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Presence within one server process: the default, needing nothing else. */
public final class LocalPresence implements Presence {
  private final ConcurrentHashMap<UserName, Member> members = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("presence").daemon().factory());
  private final PresenceBatcher batcher;
  private final Metrics metrics;

  public LocalPresence(Duration batchWindow, Metrics metrics) {
    this.metrics = metrics;
    this.batcher =
        new PresenceBatcher(
            (task, delayNanos) -> scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS),
            batchWindow,
            System::nanoTime,
            members::size,
            this::broadcast);
  }

  @Override
  public CompletionStage<List<OnlineUser>> join(Member member) {
    OnlineUser user = member.user();
    Member earlier = members.put(user.name(), member);
    if (earlier != null && earlier != member) {
      earlier.replaced();
    } else {
      batcher.joined(user);
    }
    List<OnlineUser> others = new ArrayList<>(members.size());
    for (Member other : members.values()) {
      if (other != member) {
        others.add(other.user());
      }
    }
    return CompletableFuture.completedFuture(others);
  }

  @Override
  public void leave(Member member) {
    if (members.remove(member.user().name(), member)) {
      batcher.left(member.user().name());
    }
  }

  @Override
  public CompletionStage<Boolean> deliver(UserName to, byte[] frame) {
    Member member = members.get(to);
    if (member == null) {
      return CompletableFuture.completedFuture(false);
    }
    member.send(frame);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public int localCount() {
    return members.size();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private void broadcast(byte[] frame) {
    for (Member member : members.values()) {
      member.send(frame);
      metrics.presenceFrameSent();
    }
  }
}
