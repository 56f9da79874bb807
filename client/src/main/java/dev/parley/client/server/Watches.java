package dev.parley.client.server;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of one {@link ServerConnection} in contacts mode: what it watches, and the watches
 * whose answer is on its way. The answer to a watch is a presence frame that lists each of its
 * names once (docs/protocol.md, "Watching"); a refusal is an error that echoes its {@code ref}.
 * Safe from any thread.
 */
final class Watches {
  private static final Logger log = LoggerFactory.getLogger(Watches.class);

  /**
   * A watch on its way: the distinct names it lists, those it added to what was watched before
   * (taken back if the server refuses it), and the future its answer completes.
   */
  private record Pending(
      String ref, Set<UserName> names, Set<UserName> fresh, CompletableFuture<Void> answered) {}

  private final Object lock = new Object();
  // Guarded by lock.
  private final List<Pending> pending = new ArrayList<>();
  private final Set<UserName> watched = new HashSet<>();
  private int sent;
  private boolean gone;

  /** The distinct names, in messages the server accepts. */
  static List<List<UserName>> chunks(Collection<UserName> names) {
    List<UserName> distinct = List.copyOf(new LinkedHashSet<>(names));
    List<List<UserName>> chunks = new ArrayList<>();
    for (int i = 0; i < distinct.size(); i += ClientMessage.Watch.MAX_NAMES) {
      chunks.add(distinct.subList(i, Math.min(distinct.size(), i + ClientMessage.Watch.MAX_NAMES)));
    }
    return chunks;
  }

  /**
   * Watches {@code chunk} (at most {@link ClientMessage.Watch#MAX_NAMES} names): {@code send} is
   * given the message, with its {@code ref}, to send at once.
   *
   * @return completes when the server has answered, or refused it, or the connection is gone
   */
  CompletableFuture<Void> watch(List<UserName> chunk, Consumer<String> send) {
    synchronized (lock) {
      if (gone) {
        return CompletableFuture.completedFuture(null); // nothing will answer
      }
      Set<UserName> fresh = new HashSet<>();
      for (UserName name : chunk) {
        if (watched.add(name)) {
          fresh.add(name);
        }
      }
      Pending watch =
          new Pending("w" + ++sent, new HashSet<>(chunk), fresh, new CompletableFuture<>());
      pending.add(watch);
      // Sent under the lock, so that the answers come in the order of the pending list.
      send.accept(ClientCodec.encode(new ClientMessage.Watch(chunk), watch.ref()));
      return watch.answered();
    }
  }

  /** Stops watching {@code chunk}: {@code send} is given the message to send at once. */
  void unwatch(List<UserName> chunk, Consumer<String> send) {
    synchronized (lock) {
      chunk.forEach(watched::remove);
      send.accept(ClientCodec.encode(new ClientMessage.Unwatch(chunk)));
    }
  }

  boolean isWatched(UserName name) {
    synchronized (lock) {
      return watched.contains(name);
    }
  }

  /** Completes once every watch sent for any of {@code names} has been answered. */
  CompletableFuture<Void> answered(Collection<UserName> names) {
    List<CompletableFuture<Void>> answers = new ArrayList<>();
    synchronized (lock) {
      for (Pending watch : pending) {
        if (names.stream().anyMatch(watch.names()::contains)) {
          answers.add(watch.answered());
        }
      }
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
  }

  /**
   * The watch {@code frame} answers, if it is one: the oldest pending watch whose names are exactly
   * those of the frame (an answer lists each name of its watch once, a batch of changes rarely all
   * of them and nothing else; if it does, the answer that follows tells the same or a later state).
   * The caller completes it once it has taken the frame in.
   */
  @Nullable CompletableFuture<Void> answeredBy(ServerMessage.Presence frame) {
    Set<UserName> names = new HashSet<>(frame.left());
    frame.joined().forEach(user -> names.add(user.name()));
    synchronized (lock) {
      for (Iterator<Pending> i = pending.iterator(); i.hasNext(); ) {
        Pending watch = i.next();
        if (watch.names().equals(names)) {
          i.remove();
          return watch.answered();
        }
      }
    }
    return null;
  }

  /** The server refused a watch ({@code watch_limit}): nothing of it is watched. */
  void refused(ServerMessage.Error error) {
    Pending refused = null;
    synchronized (lock) {
      for (Iterator<Pending> i = pending.iterator(); i.hasNext(); ) {
        Pending watch = i.next();
        if (watch.ref().equals(error.ref())) {
          i.remove();
          watched.removeAll(watch.fresh());
          refused = watch;
          break;
        }
      }
    }
    log.warn(
        "the server refused a watch{}, so its names are not watched: {}",
        refused == null ? "" : " of " + refused.names(),
        error.message());
    if (refused != null) {
      refused.answered().complete(null);
    }
  }

  /** The connection is gone: no answer will come. */
  void closed() {
    List<Pending> unanswered;
    synchronized (lock) {
      gone = true;
      unanswered = List.copyOf(pending);
      pending.clear();
    }
    unanswered.forEach(watch -> watch.answered().complete(null));
  }
}
