package dev.parley.client;

import static org.assertj.core.api.Assertions.fail;

import dev.parley.client.chat.ChatListener;
import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.link.LinkPath;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client listener that queues every event for a test to wait on. */
final class Recorder implements ChatListener {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  final BlockingQueue<ServerState> states = new LinkedBlockingQueue<>();
  final BlockingQueue<UserName> joined = new LinkedBlockingQueue<>();
  final BlockingQueue<UserName> left = new LinkedBlockingQueue<>();
  final BlockingQueue<Entry> received = new LinkedBlockingQueue<>();
  final BlockingQueue<Entry> updated = new LinkedBlockingQueue<>();
  final BlockingQueue<Boolean> typing = new LinkedBlockingQueue<>();
  final BlockingQueue<Long> progress = new LinkedBlockingQueue<>();
  final BlockingQueue<IdentityKey> keyChanged = new LinkedBlockingQueue<>();
  final BlockingQueue<UserName> linkOpened = new LinkedBlockingQueue<>();
  final BlockingQueue<LinkPath> paths = new LinkedBlockingQueue<>();
  final BlockingQueue<LinkPath> pathsChanged = new LinkedBlockingQueue<>();
  final BlockingQueue<UserName> linkClosed = new LinkedBlockingQueue<>();
  final BlockingQueue<String> problems = new LinkedBlockingQueue<>();
  final BlockingQueue<LogEntry> groupMessages = new LinkedBlockingQueue<>();
  final BlockingQueue<Path> groupFiles = new LinkedBlockingQueue<>();
  final BlockingQueue<String> groupTyping = new LinkedBlockingQueue<>();

  @Override
  public void groupMessage(LogEntry message) {
    groupMessages.add(message);
  }

  @Override
  public void groupFileSaved(LogEntry file, Path path) {
    groupFiles.add(path);
  }

  @Override
  public void groupTyping(GroupId group, UserName member, boolean active) {
    groupTyping.add(member + (active ? " typing" : " stopped"));
  }

  @Override
  public void stateChanged(ServerState state) {
    states.add(state);
  }

  @Override
  public void joined(UserName peer) {
    joined.add(peer);
  }

  @Override
  public void left(UserName peer) {
    left.add(peer);
  }

  @Override
  public void received(Entry entry) {
    received.add(entry);
  }

  @Override
  public void updated(Entry entry) {
    updated.add(entry);
  }

  @Override
  public void typing(UserName peer, boolean active) {
    typing.add(active);
  }

  @Override
  public void progress(UserName peer, String id, boolean outgoing, long done, long total) {
    progress.add(done);
  }

  @Override
  public void keyChanged(UserName peer, IdentityKey pinned, IdentityKey presented) {
    keyChanged.add(presented);
  }

  @Override
  public void linkOpened(UserName peer, Optional<LinkPath> path) {
    path.ifPresent(paths::add); // first: a test that saw the peer finds its path
    linkOpened.add(peer);
  }

  @Override
  public void linkPathChanged(UserName peer, LinkPath path) {
    pathsChanged.add(path);
  }

  @Override
  public void linkClosed(UserName peer) {
    linkClosed.add(peer);
  }

  @Override
  public void problem(UserName peer, String message) {
    problems.add(message);
  }

  /** The next event of {@code queue}, waiting up to {@link #TIMEOUT}. */
  static <T> T next(BlockingQueue<T> queue) {
    try {
      T event = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return event != null ? event : fail("no event within %s", TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The first event of {@code queue} that matches, skipping others, up to {@link #TIMEOUT}. */
  static <T> T until(BlockingQueue<T> queue, Predicate<T> wanted) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        T event = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        if (event == null) {
          return fail("no matching event within %s", TIMEOUT);
        }
        if (wanted.test(event)) {
          return event;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until our entry {@code id} reaches {@code state}. */
  Entry until(String id, Delivery state) {
    return until(updated, e -> e.id().equals(id) && e.state() == state);
  }
}
