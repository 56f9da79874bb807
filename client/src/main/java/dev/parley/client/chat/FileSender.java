package dev.parley.client.chat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.LinkException;
import dev.parley.client.link.PeerLink;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our files on their way (docs/p2p.md, "Files", "Files in a group"): one at a time per peer, the
 * offer, then the bytes in 64 KiB chunks while the link takes them, waiting for it to drain when it
 * asks to. The file is read when it is sent, from where it was when it was queued. A link that
 * closes mid-file loses it; a one-to-one file stays in the outbox and goes again, from the start,
 * on the next link. The bytes of a group's files that members ask for wait their turn here too (at
 * most {@link #MAX_ASKED} per peer), taking turns with the outbox's. On the client's event loop
 * only.
 */
final class FileSender {
  private static final int CHUNK = FileChunk.MAX_DATA;

  /** Chunks written in one task of the loop, so that messages and other files take turns. */
  private static final int CHUNKS_PER_TURN = 16;

  /** The most asks for a group's files that wait per peer. */
  static final int MAX_ASKED = 16;

  private static final Logger log = LoggerFactory.getLogger(FileSender.class);

  private final Outbox outbox;
  private final ChatListener listener;
  private final EventLoop loop;
  private final Consumer<UserName> whenDone;
  private final Map<UserName, Transfer> sending = new HashMap<>();
  private final Map<UserName, ArrayDeque<Asked>> asked = new HashMap<>();

  /** {@code whenDone} is told each time a peer's file is all written, for the next one to go. */
  FileSender(Outbox outbox, ChatListener listener, EventLoop loop, Consumer<UserName> whenDone) {
    this.outbox = outbox;
    this.listener = listener;
    this.loop = loop;
    this.whenDone = whenDone;
  }

  /** The bytes of a group's file that a member asked for. */
  private record Asked(PeerLink link, ChannelMessage.GroupFile announce, Path path, long size) {}

  private static final class Transfer {
    final PeerLink link;
    // The one-to-one file of the outbox being sent; null for a group's file.
    final Outbox.@Nullable Pending pending;
    final ChannelMessage announce;
    final Path path;
    final long size;
    final UUID id;
    final String progressId;
    final byte[] buffer = new byte[CHUNK];
    final FileChannel channel;
    long done;
    long reported;

    Transfer(
        PeerLink link,
        Outbox.@Nullable Pending pending,
        ChannelMessage announce,
        Path path,
        long size,
        UUID id,
        String progressId)
        throws IOException {
      if (Files.size(path) != size) {
        throw new IOException(
            "it changed since it was " + (pending == null ? "shared with the group" : "queued"));
      }
      this.link = link;
      this.pending = pending;
      this.announce = announce;
      this.path = path;
      this.size = size;
      this.id = id;
      this.progressId = progressId;
      this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    UserName peer() {
      return link.peer();
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", path, e.getMessage());
      }
    }
  }

  /** Whether a file to {@code peer} is on its way. */
  boolean busy(UserName peer) {
    return sending.containsKey(peer);
  }

  /** Sends the file of {@code pending} on {@code link}: the offer, then its bytes. */
  void start(PeerLink link, Outbox.Pending pending) {
    Entry entry = pending.entry();
    Entry.FileInfo file = entry.file();
    if (file == null || busy(entry.peer())) {
      return;
    }
    var offer =
        new ChannelMessage.FileOffer(
            entry.id(), entry.ts(), entry.text(), file.size(), file.sha256(), file.mime());
    Transfer transfer;
    try {
      transfer =
          new Transfer(
              link,
              pending,
              offer,
              file.path(),
              file.size(),
              UUID.fromString(entry.id()),
              entry.id());
    } catch (IOException e) {
      outbox.settle(
          entry.peer(),
          entry.id(),
          Delivery.FAILED,
          "cannot read " + file.path() + ": " + e.getMessage());
      return;
    }
    begin(transfer);
  }

  /**
   * A member asked on {@code link} for the bytes of a group's file, at {@code path}: {@code
   * announce}, then the bytes, when the files before it are sent. False if too many asks wait.
   */
  boolean serve(PeerLink link, ChannelMessage.GroupFile announce, Path path, long size) {
    ArrayDeque<Asked> waiting = asked.computeIfAbsent(link.peer(), p -> new ArrayDeque<>());
    if (waiting.size() >= MAX_ASKED) {
      return false;
    }
    waiting.add(new Asked(link, announce, path, size));
    if (!busy(link.peer())) {
      serveNext(link.peer());
    }
    return true;
  }

  /** Starts the next group file asked of us by {@code peer}, if any. */
  private void serveNext(UserName peer) {
    ArrayDeque<Asked> waiting = asked.get(peer);
    while (waiting != null && !waiting.isEmpty() && !busy(peer)) {
      Asked next = waiting.poll();
      if (!next.link.isOpen()) {
        continue;
      }
      try {
        begin(
            new Transfer(
                next.link,
                null,
                next.announce,
                next.path,
                next.size,
                UUID.fromString(next.announce.id()),
                next.announce.entry()));
      } catch (IOException e) {
        log.warn("cannot send {} to {}: {}", next.path, peer, e.getMessage());
        next.link.trySend(
            new ChannelMessage.GroupFileMissing(next.announce.group(), next.announce.entry()));
      }
    }
    if (waiting != null && waiting.isEmpty()) {
      asked.remove(peer);
    }
  }

  /** Sends {@code transfer}'s announcement, then its bytes. */
  private void begin(Transfer transfer) {
    if (!transfer.link.trySend(transfer.announce)) {
      transfer.close();
      return;
    }
    sending.put(transfer.peer(), transfer);
    if (transfer.pending != null) {
      outbox.sending(transfer.pending);
    }
    pump(transfer);
  }

  /** {@code link} can take more. */
  @SuppressWarnings("ReferenceEquality") // one link object is one link: identity, not equality
  void drained(PeerLink link) {
    Transfer transfer = sending.get(link.peer());
    if (transfer != null && transfer.link == link) {
      pump(transfer);
    }
  }

  /** The peer acknowledged or refused {@code id}: if it is the file on its way, it stops. */
  void settled(UserName peer, String id) {
    Transfer transfer = sending.get(peer);
    if (transfer != null && transfer.pending != null && transfer.progressId.equals(id)) {
      sending.remove(peer).close();
      serveNext(peer);
    }
  }

  /** The link to {@code peer} is gone ({@code link}, or any if null): the file goes next time. */
  @SuppressWarnings("ReferenceEquality") // one link object is one link: identity, not equality
  void linkGone(UserName peer, @Nullable PeerLink link) {
    Transfer transfer = sending.get(peer);
    if (transfer != null && (link == null || transfer.link == link)) {
      sending.remove(peer).close();
    }
    ArrayDeque<Asked> waiting = asked.get(peer);
    if (waiting != null) {
      waiting.removeIf(a -> link == null || a.link == link);
      if (waiting.isEmpty()) {
        asked.remove(peer);
      }
    }
  }

  /** Writes chunks until the link asks us to wait, a turn is used up, or the file is done. */
  private void pump(Transfer transfer) {
    if (sending.get(transfer.peer()) != transfer) {
      return;
    }
    long total = transfer.size;
    try {
      for (int turn = 0; turn < CHUNKS_PER_TURN && transfer.done < total; turn++) {
        int want = (int) Math.min(CHUNK, total - transfer.done);
        ByteBuffer target = ByteBuffer.wrap(transfer.buffer, 0, want);
        while (target.hasRemaining()) {
          if (transfer.channel.read(target, transfer.done + target.position()) < 0) {
            throw new IOException("it is shorter than when it was sent");
          }
        }
        boolean more = transfer.link.sendChunk(transfer.id, transfer.buffer, 0, want);
        transfer.done += want;
        report(transfer, total);
        if (!more) {
          return; // resumed by drained()
        }
      }
    } catch (IOException e) {
      sending.remove(transfer.peer());
      transfer.close();
      failed(transfer, e);
      next(transfer);
      return;
    } catch (LinkException e) {
      return; // the link is going; linkGone() cleans up and the next link sends it again
    }
    if (transfer.done < total) {
      loop.post(() -> pump(transfer));
      return;
    }
    transfer.close();
    sending.remove(transfer.peer());
    if (transfer.pending != null) {
      // All written: wait for the ack, which the receiver sends once the hash checks out.
      outbox.carried(transfer.pending, transfer.link, loop.nanoTime());
    }
    next(transfer);
  }

  /** {@code transfer} could not be read to the end. */
  private void failed(Transfer transfer, IOException e) {
    if (transfer.pending != null) {
      Entry entry = transfer.pending.entry();
      outbox.settle(
          entry.peer(), entry.id(), Delivery.FAILED, "cannot read the file: " + e.getMessage());
    } else {
      log.warn("cannot send {} to {}: {}", transfer.path, transfer.peer(), e.getMessage());
      var announce = (ChannelMessage.GroupFile) transfer.announce;
      transfer.link.trySend(
          new ChannelMessage.GroupFileMissing(announce.group(), announce.entry()));
    }
  }

  /** After {@code done}, the other kind has its turn first: the outbox's or the group's files. */
  private void next(Transfer done) {
    UserName peer = done.peer();
    if (done.pending == null) {
      whenDone.accept(peer);
      serveNext(peer);
    } else {
      serveNext(peer);
      whenDone.accept(peer);
    }
  }

  private void report(Transfer transfer, long total) {
    if (Progress.worthReporting(transfer.done, transfer.reported, total)) {
      transfer.reported = transfer.done;
      listener.progress(transfer.peer(), transfer.progressId, true, transfer.done, total);
    }
  }
}
