package dev.parley.client.chat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.PeerLink;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.profile.Store;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** A file on its way: what its offer said, and what has come. */
  private record Transfer(ChannelMessage.FileOffer offer, PartialFile file) {
    void discard() {
      file.discard();
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
      Transfer transfer =
          new Transfer(offer, new PartialFile(downloads.resolve(".partial-" + id), offer.size()));
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
    boolean fits;
    try {
      fits = transfer.file.write(chunk.data());
    } catch (IOException e) {
      files.remove(chunk.file());
      forgetIfIdle(peer);
      transfer.discard();
      cannotStore(link, transfer.offer, e);
      return;
    }
    if (!fits) {
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
    if (transfer.file.worthReporting()) {
      listener.progress(
          peer, transfer.offer.id(), false, transfer.file.done(), transfer.file.size());
    }
    if (transfer.file.complete()) {
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

  private void complete(PeerLink link, Transfer transfer) {
    UserName peer = link.peer();
    ChannelMessage.FileOffer offer = transfer.offer;
    try {
      Path saved = transfer.file.keep(downloads, offer.name(), offer.sha256());
      if (saved == null) {
        link.trySend(
            new ChannelMessage.Nack(
                offer.id(), ChannelMessage.Nack.HASH_MISMATCH, "the SHA-256 does not match"));
        listener.problem(
            peer, offer.name() + " from " + peer + " arrived damaged and was discarded");
        return;
      }
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
