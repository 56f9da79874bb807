package dev.parley.client.chat;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.GroupLog;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.Op;
import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.GroupStore;
import dev.parley.client.profile.ProfileException;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of the groups' files (docs/p2p.md, "Files in a group"): where we hold them, fetched
 * from any member who has them, one member at a time and one ask per link, and served to the
 * entry's recipients who ask, through the {@link FileSender}. On the client's event loop only.
 */
final class GroupFiles {
  /** A file whose bytes stopped coming this long is asked of the next member. */
  static final Duration STALLED = Duration.ofSeconds(30);

  /** An ask unanswered this long is asked of the next: the member may serve other files first. */
  static final Duration UNANSWERED = Duration.ofMinutes(2);

  private static final Logger log = LoggerFactory.getLogger(GroupFiles.class);

  private final GroupStore store;
  private final FileSender sender;
  private final Path downloads;
  private final long maxBytes;
  private final ChatListener listener;
  private final EventLoop loop;
  private final UserName me;
  private final Function<GroupId, @Nullable GroupLog> logs;
  // Where the bytes we hold are, per group and entry hash.
  private final Map<GroupId, Map<String, Path>> held = new HashMap<>();
  // The files whose bytes we lack and want, by entry hash.
  private final Map<String, Want> wanted = new LinkedHashMap<>();
  // The one ask pending on each link, and the bytes coming on it once answered.
  private final Map<PeerLink, Ask> asks = new HashMap<>();
  private @Nullable PeerLinks links;

  /** A file we want: the members asked since their link opened, and who to ask first. */
  private static final class Want {
    final LogEntry entry;
    final Op.File file;
    final Set<PeerLink> asked = new HashSet<>();
    @Nullable UserName cameFrom;

    Want(LogEntry entry, @Nullable UserName cameFrom) {
      this.entry = entry;
      this.file = (Op.File) entry.op();
      this.cameFrom = cameFrom;
    }

    String name() {
      return file.named().map(Op.File.Named::name).orElse("file");
    }
  }

  /** Our ask on a link; once answered, the bytes on their way. */
  private static final class Ask {
    final Want want;
    long since;
    @Nullable UUID id;
    @Nullable PartialFile bytes;

    Ask(Want want, long since) {
      this.want = want;
      this.since = since;
    }
  }

  GroupFiles(
      GroupStore store,
      FileSender sender,
      Path downloads,
      long maxBytes,
      ChatListener listener,
      EventLoop loop,
      UserName me,
      Function<GroupId, @Nullable GroupLog> logs) {
    this.store = store;
    this.sender = sender;
    this.downloads = downloads;
    this.maxBytes = maxBytes;
    this.listener = listener;
    this.loop = loop;
    this.me = me;
    this.logs = logs;
  }

  void links(PeerLinks links) {
    this.links = links;
  }

  /**
   * Reads where the bytes of {@code groupLog}'s files are, and wants those we lack of its {@code
   * entries} (any order: none is needed to start).
   */
  void load(GroupLog groupLog, List<LogEntry> entries) {
    held.put(groupLog.id(), new HashMap<>(store.files(groupLog.id())));
    for (LogEntry entry : entries) {
      took(groupLog, entry, null);
    }
  }

  /** Where the bytes of file entry {@code hash} are, if we hold them. */
  Optional<Path> file(GroupId group, String hash) {
    return Optional.ofNullable(held.getOrDefault(group, Map.of()).get(hash));
  }

  /** Whether bytes of a group's file are on their way to us from {@code peer}. */
  boolean busy(UserName peer) {
    return asks.keySet().stream().anyMatch(link -> link.peer().equals(peer));
  }

  /** Our own file, sent as entry {@code entry}: its bytes are at {@code path}. */
  void sent(LogEntry entry, Path path) {
    hold(entry, path);
  }

  /**
   * {@code entry} joined {@code groupLog} (from {@code from}'s link, or from the profile): if it is
   * a file for us whose bytes we lack, we want them.
   */
  void took(GroupLog groupLog, LogEntry entry, @Nullable PeerLink from) {
    if (!(entry.op() instanceof Op.File file)
        || entry.isStub()
        || entry.author().equals(me)
        || file(entry.group(), entry.hash()).isPresent()
        || wanted.containsKey(entry.hash())
        || !groupLog.recipients(entry.hash()).contains(me)) {
      return;
    }
    Want want = new Want(entry, from == null ? null : from.peer());
    if (file.size() > maxBytes) {
      listener.problem(
          entry.author(),
          want.name()
              + " ("
              + file.size()
              + " bytes) is larger than this client takes ("
              + maxBytes
              + "): not fetched");
      return;
    }
    if (file.size() == 0) {
      save(want, null);
      return;
    }
    wanted.put(entry.hash(), want);
    askNext(want);
  }

  /** A link opened: the files we want that its peer may hold are asked of it too. */
  void linkOpened(PeerLink link) {
    for (Want want : List.copyOf(wanted.values())) {
      if (!asking(want)) {
        askNext(want);
      }
    }
  }

  /** The link is gone: the bytes coming on it are lost, and their file asked of another. */
  void linkGone(PeerLink link) {
    for (Want want : wanted.values()) {
      want.asked.remove(link);
    }
    Ask ask = asks.get(link);
    if (ask != null) {
      giveUp(link, ask);
    }
  }

  /** A member asks us for the bytes of a file. */
  void asked(PeerLink link, ChannelMessage.GroupFileGet get) {
    GroupLog groupLog = logs.apply(get.group());
    Path path = file(get.group(), get.entry()).orElse(null);
    Optional<LogEntry> entry = groupLog == null ? Optional.empty() : groupLog.entry(get.entry());
    boolean serve =
        path != null
            && entry.isPresent()
            && entry.get().op() instanceof Op.File file
            && !entry.get().isStub()
            && groupLog.recipients(get.entry()).contains(link.peer())
            && sender.serve(
                link,
                new ChannelMessage.GroupFile(
                    get.group(), get.entry(), UUID.randomUUID().toString()),
                path,
                file.size());
    if (!serve) {
      link.trySend(new ChannelMessage.GroupFileMissing(get.group(), get.entry()));
    }
  }

  /** A member we asked sends the bytes, in chunks led by the announced id. */
  void announced(PeerLink link, ChannelMessage.GroupFile announce) {
    Ask ask = asks.get(link);
    if (ask == null || ask.bytes != null || !ask.want.entry.hash().equals(announce.entry())) {
      log.debug("ignoring {}'s group-file for {}: not asked", link.peer(), announce.entry());
      return;
    }
    try {
      ask.id = UUID.fromString(announce.id());
      ask.bytes = new PartialFile(downloads.resolve(".partial-" + ask.id), ask.want.file.size());
      ask.since = loop.nanoTime();
    } catch (IllegalArgumentException | IOException e) {
      asks.remove(link);
      listener.problem(link.peer(), "cannot store " + ask.want.name() + ": " + e.getMessage());
      askNext(ask.want);
    }
  }

  /** A member we asked will not send the bytes, or stops: the next is asked. */
  void missing(PeerLink link, ChannelMessage.GroupFileMissing missing) {
    Ask ask = asks.get(link);
    if (ask != null && ask.want.entry.hash().equals(missing.entry())) {
      giveUp(link, ask);
    }
  }

  /** The ask on {@code link} brings nothing (more): what came is discarded, the next asked. */
  private void giveUp(PeerLink link, Ask ask) {
    asks.remove(link, ask);
    if (ask.bytes != null) {
      ask.bytes.discard();
    }
    askNext(ask.want);
  }

  /** A chunk: whether it was the bytes of a group's file we asked for (else it is not ours). */
  boolean chunk(PeerLink link, FileChunk chunk) {
    Ask ask = asks.get(link);
    if (ask == null || ask.bytes == null || !chunk.file().equals(ask.id)) {
      return false;
    }
    PartialFile bytes = ask.bytes;
    Want want = ask.want;
    try {
      if (!bytes.write(chunk.data())) {
        damaged(link, ask, "more bytes than the file has");
        return true;
      }
    } catch (IOException e) {
      listener.problem(link.peer(), "cannot store " + want.name() + ": " + e.getMessage());
      giveUp(link, ask);
      return true;
    }
    ask.since = loop.nanoTime();
    if (bytes.worthReporting()) {
      listener.progress(link.peer(), want.entry.hash(), false, bytes.done(), bytes.size());
    }
    if (bytes.complete()) {
      asks.remove(link);
      try {
        Path saved = bytes.keep(downloads, want.name(), want.file.sha256());
        if (saved == null) {
          damaged(link, ask, "their SHA-256 is not the one the entry names");
          return true;
        }
        save(want, saved);
      } catch (IOException e) {
        bytes.discard();
        listener.problem(link.peer(), "cannot store " + want.name() + ": " + e.getMessage());
      }
      askLink(link);
    }
    return true;
  }

  /** Every second: an ask or a transfer that stalled is given up, and the next member asked. */
  void tick() {
    long now = loop.nanoTime();
    for (var e : new ArrayList<>(asks.entrySet())) {
      Duration limit = e.getValue().bytes == null ? UNANSWERED : STALLED;
      if (now - e.getValue().since > limit.toNanos()) {
        log.info(
            "{} sent nothing of {} for {}: asking another",
            e.getKey().peer(),
            e.getValue().want.name(),
            limit);
        giveUp(e.getKey(), e.getValue());
      }
    }
  }

  private void damaged(PeerLink link, Ask ask, String why) {
    listener.problem(
        link.peer(),
        link.peer()
            + " sent damaged bytes of "
            + ask.want.name()
            + " ("
            + why
            + "): asking another member");
    giveUp(link, ask);
  }

  /** Whether the file is being asked for on some link. */
  private boolean asking(Want want) {
    return asks.values().stream().anyMatch(a -> a.want == want);
  }

  /** Asks for {@code want} on the best open link not asked yet and free; none: it waits. */
  private void askNext(Want want) {
    if (links == null || !wanted.containsKey(want.entry.hash()) || asking(want)) {
      return;
    }
    GroupLog groupLog = logs.apply(want.entry.group());
    if (groupLog == null) {
      return;
    }
    Set<UserName> holders = groupLog.recipients(want.entry.hash());
    Comparator<PeerLink> order =
        Comparator.comparing((PeerLink l) -> !l.peer().equals(want.cameFrom))
            .thenComparing(l -> !l.peer().equals(want.entry.author()))
            .thenComparing(l -> l.peer().key());
    links.links().stream()
        .filter(PeerLink::isOpen)
        .filter(l -> holders.contains(l.peer()) && !l.peer().equals(me))
        .filter(l -> !want.asked.contains(l) && !asks.containsKey(l))
        .min(order)
        .ifPresent(link -> ask(link, want));
  }

  /** {@code link} is free: the next file we want that it may hold is asked of it. */
  private void askLink(PeerLink link) {
    for (Want want : List.copyOf(wanted.values())) {
      if (asks.containsKey(link)) {
        return;
      }
      askNext(want);
    }
  }

  private void ask(PeerLink link, Want want) {
    want.asked.add(link);
    if (link.trySend(new ChannelMessage.GroupFileGet(want.entry.group(), want.entry.hash()))) {
      asks.put(link, new Ask(want, loop.nanoTime()));
    }
  }

  /** The bytes of {@code want} are whole at {@code path} (null: an empty file, written now). */
  private void save(Want want, @Nullable Path path) {
    wanted.remove(want.entry.hash());
    try {
      Path saved = path;
      if (saved == null) {
        Files.createDirectories(downloads);
        saved = Files.createFile(PartialFile.unusedName(downloads, want.name()));
      }
      hold(want.entry, saved);
      listener.groupFileSaved(want.entry, saved);
    } catch (IOException | ProfileException e) {
      // Not recorded: after a restart it is fetched again.
      listener.problem(want.entry.author(), "cannot store " + want.name() + ": " + e.getMessage());
    }
  }

  private void hold(LogEntry entry, Path path) {
    store.holdFile(entry.group(), entry.hash(), path);
    held.computeIfAbsent(entry.group(), g -> new HashMap<>()).put(entry.hash(), path);
  }
}
