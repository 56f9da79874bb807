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
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our files on their way (docs/p2p.md, "Files"): one at a time per peer, the offer, then the bytes
 * in 64 KiB chunks while the link takes them, waiting for it to drain when it asks to. The file is
 * read when it is sent, from where it was when it was queued. A link that closes mid-file loses it;
 * the file stays in the outbox and goes again, from the start, on the next link. On the client's
 * event loop only.
 */
final class FileSender {
  private static final int CHUNK = FileChunk.MAX_DATA;

  /** Chunks written in one task of the loop, so that messages and other files take turns. */
  private static final int CHUNKS_PER_TURN = 16;

  private static final Logger log = LoggerFactory.getLogger(FileSender.class);

  private final Outbox outbox;
  private final ChatListener listener;
  private final EventLoop loop;
  private final Consumer<UserName> whenDone;
  private final Map<UserName, Transfer> sending = new HashMap<>();

  /** {@code whenDone} is told each time a peer's file is all written, for the next one to go. */
  FileSender(Outbox outbox, ChatListener listener, EventLoop loop, Consumer<UserName> whenDone) {
    this.outbox = outbox;
    this.listener = listener;
    this.loop = loop;
    this.whenDone = whenDone;
  }

  private static final class Transfer {
    final PeerLink link;
    final Outbox.Pending pending;
    final Entry.FileInfo file;
    final UUID id;
    final byte[] buffer = new byte[CHUNK];
    final FileChannel channel;
    long done;
    long reported;

    Transfer(PeerLink link, Outbox.Pending pending, Entry.FileInfo file, FileChannel channel) {
      this.link = link;
      this.pending = pending;
      this.file = file;
      this.id = UUID.fromString(pending.entry().id());
      this.channel = channel;
    }

    Entry entry() {
      return pending.entry();
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", file.path(), e.getMessage());
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
    FileChannel channel;
    try {
      if (Files.size(file.path()) != file.size()) {
        throw new IOException("it changed since it was queued");
      }
      channel = FileChannel.open(file.path(), StandardOpenOption.READ);
    } catch (IOException e) {
      outbox.settle(
          entry.peer(),
          entry.id(),
          Delivery.FAILED,
          "cannot read " + file.path() + ": " + e.getMessage());
      return;
    }
    Transfer transfer = new Transfer(link, pending, file, channel);
    var offer =
        new ChannelMessage.FileOffer(
            entry.id(), entry.ts(), entry.text(), file.size(), file.sha256(), file.mime());
    if (!link.trySend(offer)) {
      transfer.close();
      return;
    }
    sending.put(entry.peer(), transfer);
    outbox.sending(pending);
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
    if (transfer != null && transfer.entry().id().equals(id)) {
      sending.remove(peer).close();
    }
  }

  /** The link to {@code peer} is gone ({@code link}, or any if null): the file goes next time. */
  @SuppressWarnings("ReferenceEquality") // one link object is one link: identity, not equality
  void linkGone(UserName peer, @Nullable PeerLink link) {
    Transfer transfer = sending.get(peer);
    if (transfer != null && (link == null || transfer.link == link)) {
      sending.remove(peer).close();
    }
  }

  /** Writes chunks until the link asks us to wait, a turn is used up, or the file is done. */
  private void pump(Transfer transfer) {
    if (sending.get(transfer.entry().peer()) != transfer) {
      return;
    }
    long total = transfer.file.size();
    try {
      for (int turn = 0; turn < CHUNKS_PER_TURN && transfer.done < total; turn++) {
        int want = (int) Math.min(CHUNK, total - transfer.done);
        ByteBuffer target = ByteBuffer.wrap(transfer.buffer, 0, want);
        while (target.hasRemaining()) {
          if (transfer.channel.read(target, transfer.done + target.position()) < 0) {
            throw new IOException("it is shorter than when it was queued");
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
      sending.remove(transfer.entry().peer());
      transfer.close();
      outbox.settle(
          transfer.entry().peer(),
          transfer.entry().id(),
          Delivery.FAILED,
          "cannot read the file: " + e.getMessage());
      return;
    } catch (LinkException e) {
      return; // the link is going; linkGone() cleans up and the next link sends it again
    }
    if (transfer.done < total) {
      loop.post(() -> pump(transfer));
      return;
    }
    // All written: wait for the ack, which the receiver sends once the hash checks out.
    transfer.close();
    sending.remove(transfer.entry().peer());
    outbox.carried(transfer.pending, transfer.link, loop.nanoTime());
    whenDone.accept(transfer.entry().peer());
  }

  private void report(Transfer transfer, long total) {
    if (Progress.worthReporting(transfer.done, transfer.reported, total)) {
      transfer.reported = transfer.done;
      listener.progress(transfer.entry().peer(), transfer.entry().id(), true, transfer.done, total);
    }
  }
}
