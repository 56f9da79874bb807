package dev.parley.client.chat;

import dev.parley.client.group.Hashes;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.profile.Store;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers' files on their way to us (docs/p2p.md, "Files"): each offer is taken or refused (too
 * large, or one we have already, which is acknowledged again), its chunks are written to a partial
 * file and hashed as they come, and a whole file whose SHA-256 matches is saved under its name,
 * stored and acknowledged; a damaged one is discarded and refused. A link that closes mid-file
 * loses the partial file. On the client's event loop only.
 */
final class FileReceiver {
  private static final Logger log = LoggerFactory.getLogger(FileReceiver.class);

  private final Store store;
  private final Path downloads;
  private final long maxBytes;
  private final ChatListener listener;
  private final Arrivals arrivals;
  private final Map<UserName, Map<UUID, Transfer>> receiving = new HashMap<>();
  private final Map<UserName, Set<UUID>> ignoring = new HashMap<>();

  FileReceiver(
      Store store, Path downloads, long maxBytes, ChatListener listener, Arrivals arrivals) {
    this.store = store;
    this.downloads = downloads;
    this.maxBytes = maxBytes;
    this.listener = listener;
    this.arrivals = arrivals;
  }

  private static final class Transfer {
    final ChannelMessage.FileOffer offer;
    final Path partial;
    final FileChannel channel;
    final MessageDigest digest = Hashes.digest();
    long done;
    long reported;

    Transfer(ChannelMessage.FileOffer offer, Path partial) throws IOException {
      this.offer = offer;
      this.partial = partial;
      this.channel =
          FileChannel.open(
              partial,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    }

    void discard() {
      try {
        channel.close();
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        log.debug("discarding {}: {}", partial, e.getMessage());
      }
    }
  }

  /** Whether a file from {@code peer} is arriving. */
  boolean busy(UserName peer) {
    return receiving.containsKey(peer);
  }

  void offer(PeerLink link, ChannelMessage.FileOffer offer) {
    UserName peer = link.peer();
    UUID id;
    try {
      id = UUID.fromString(offer.id());
    } catch (IllegalArgumentException e) {
      link.trySend(
          new ChannelMessage.Nack(offer.id(), ChannelMessage.Nack.REFUSED, "a file id is a UUID"));
      return;
    }
    Map<UUID, Transfer> files = receiving.computeIfAbsent(peer, p -> new HashMap<>());
    Transfer previous = files.remove(id);
    if (previous != null) {
      previous.discard(); // sent again from the start
    }
    Set<UUID> ignored = ignoring.computeIfAbsent(peer, p -> new HashSet<>());
    if (store.find(peer, offer.id(), false).isPresent()) {
      log.info("{}'s file {} is a duplicate: acknowledged again", peer, offer.id());
      ignored.add(id);
      link.trySend(new ChannelMessage.Ack(offer.id()));
      forgetIfIdle(peer);
      return;
    }
    if (offer.size() > maxBytes) {
      ignored.add(id);
      link.trySend(
          new ChannelMessage.Nack(
              offer.id(), ChannelMessage.Nack.TOO_LARGE, "files up to " + maxBytes + " bytes"));
      listener.problem(peer, "refused " + offer.name() + " from " + peer + ": too large");
      forgetIfIdle(peer);
      return;
    }
    ignored.remove(id);
    try {
      Files.createDirectories(downloads);
      Transfer transfer = new Transfer(offer, downloads.resolve(".partial-" + id));
      files.put(id, transfer);
      if (offer.size() == 0) {
        files.remove(id);
        complete(link, transfer);
      }
    } catch (IOException e) {
      cannotStore(link, offer, e);
    }
    forgetIfIdle(peer);
  }

  void chunk(PeerLink link, FileChunk chunk) {
    UserName peer = link.peer();
    Map<UUID, Transfer> files = receiving.get(peer);
    Transfer transfer = files == null ? null : files.get(chunk.file());
    if (transfer == null) {
      if (!ignoring.getOrDefault(peer, Set.of()).contains(chunk.file())) {
        log.debug("ignoring a chunk of a file {} did not announce", peer);
      }
      return;
    }
    long total = transfer.offer.size();
    int length = chunk.data().remaining();
    if (transfer.done + length > total) {
      files.remove(chunk.file());
      forgetIfIdle(peer);
      transfer.discard();
      link.trySend(
          new ChannelMessage.Nack(
              transfer.offer.id(), ChannelMessage.Nack.HASH_MISMATCH, "more bytes than announced"));
      listener.problem(
          peer, transfer.offer.name() + " from " + peer + " was longer than announced");
      return;
    }
    try {
      transfer.digest.update(chunk.data().duplicate());
      ByteBuffer data = chunk.data();
      while (data.hasRemaining()) {
        transfer.channel.write(data);
      }
    } catch (IOException e) {
      files.remove(chunk.file());
      forgetIfIdle(peer);
      transfer.discard();
      cannotStore(link, transfer.offer, e);
      return;
    }
    transfer.done += length;
    if (Progress.worthReporting(transfer.done, transfer.reported, total)) {
      transfer.reported = transfer.done;
      listener.progress(peer, transfer.offer.id(), false, transfer.done, total);
    }
    if (transfer.done == total) {
      files.remove(chunk.file());
      forgetIfIdle(peer);
      complete(link, transfer);
    }
  }

  /** The link to {@code peer} is gone: partial files are lost, and it sends them again. */
  void linkGone(UserName peer) {
    Map<UUID, Transfer> partial = receiving.remove(peer);
    if (partial != null) {
      partial.values().forEach(Transfer::discard);
    }
    ignoring.remove(peer);
  }

  /** {@code name} in {@code dir}, or {@code name (2)}, {@code name (3)}... if it exists. */
  static Path unusedName(Path dir, String name) {
    Path candidate = dir.resolve(name);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int n = 2; Files.exists(candidate); n++) {
      candidate = dir.resolve(stem + " (" + n + ")" + ext);
    }
    return candidate;
  }

  private void complete(PeerLink link, Transfer transfer) {
    UserName peer = link.peer();
    ChannelMessage.FileOffer offer = transfer.offer;
    String actual = Hashes.hex(transfer.digest);
    try {
      transfer.channel.force(true);
      transfer.channel.close();
      if (!actual.equals(offer.sha256())) {
        Files.deleteIfExists(transfer.partial);
        link.trySend(
            new ChannelMessage.Nack(
                offer.id(), ChannelMessage.Nack.HASH_MISMATCH, "the SHA-256 does not match"));
        listener.problem(
            peer, offer.name() + " from " + peer + " arrived damaged and was discarded");
        return;
      }
      Path saved = unusedName(downloads, offer.name());
      Files.move(transfer.partial, saved);
      Entry entry =
          new Entry(
              0,
              peer,
              offer.id(),
              false,
              offer.ts(),
              offer.name(),
              new Entry.FileInfo(offer.size(), offer.sha256(), offer.mime(), saved),
              Delivery.RECEIVED,
              "");
      Optional<Entry> stored;
      try {
        stored = store.add(entry);
      } catch (ProfileException e) {
        Files.deleteIfExists(saved); // not acknowledged: it comes again, whole
        listener.problem(
            peer, "Cannot store " + offer.name() + " from " + peer + ": " + e.getMessage() + ".");
        return;
      }
      link.trySend(new ChannelMessage.Ack(offer.id()));
      stored.ifPresent(arrivals::arrived);
    } catch (IOException e) {
      transfer.discard();
      cannotStore(link, offer, e);
    }
  }

  /** Refuses a file we could not write, and tells the user why. */
  private void cannotStore(PeerLink link, ChannelMessage.FileOffer offer, IOException e) {
    link.trySend(
        new ChannelMessage.Nack(offer.id(), ChannelMessage.Nack.REFUSED, "cannot store it"));
    listener.problem(link.peer(), "cannot store " + offer.name() + ": " + e.getMessage());
  }

  /** No file from {@code peer} is arriving any more: the link may be idle again. */
  private void forgetIfIdle(UserName peer) {
    Map<UUID, Transfer> files = receiving.get(peer);
    if (files != null && files.isEmpty()) {
      receiving.remove(peer);
    }
  }
}
