package dev.parley.client.chat;

import dev.parley.client.link.ChannelMessage;
import dev.parley.client.link.FileChunk;
import dev.parley.client.link.LinkListener;
import dev.parley.client.link.NoPathException;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.PeerLinks;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.Delivery;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.GroupStore;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.profile.Store;
import dev.parley.client.server.ServerListener;
import dev.parley.client.server.ServerState;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversations of one client as its event loop runs them: it wires the parts that each do one
 * job ({@link Outbox}, {@link FileSender}, {@link FileReceiver}, {@link Typing}, {@link Reopening},
 * {@link KeyWatch}, {@link IdleLinks}, {@link Presence}, {@link Groups}) to the client's links and
 * server, and is the only one that talks to both. What the links report comes here on the loop,
 * what the server reports is posted to it, and {@link Messenger} hands the user's requests over. On
 * the client's event loop only.
 *
 * <p>It asks the server to {@linkplain Signaling#watch watch} everyone the user has a conversation
 * with, so that a server in contacts presence mode tells of them: at start those with messages
 * waiting in the outbox, then the others by their last message; then each peer again, as the most
 * recent, when a message goes to them or comes from them, or the user opens their conversation.
 */
final class Conversations {
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(Conversations.class);

  private final Signaling server;
  private final PeerLinks links;
  private final Store store;
  private final ChatListener listener;
  private final EventLoop loop;
  private final Outbox outbox;
  private final Reopening reopening = new Reopening();
  private final Typing<UserName> typing = new Typing<>();
  private final Presence presence;
  private final KeyWatch keys;
  private final IdleLinks idle;
  private final FileSender files;
  private final FileReceiver incoming;
  private final Arrivals arrivals;
  private final Groups groups;
  private volatile boolean closed;
  // What arrived and waits for the group commit (commitTurn), which is posted once for all of it.
  private List<Arrived> arriving = new ArrayList<>();
  private List<Settling> settling = new ArrayList<>();
  private boolean commitPosted;
  // Peers whose flush is posted (adopt).
  private final Set<UserName> flushing = new HashSet<>();

  /** Takes up the outbox {@code store} holds, and makes the links; see {@link Messenger}. */
  Conversations(
      Signaling server,
      Function<LinkListener, PeerLinks> links,
      KeyPins pins,
      Store store,
      Path downloads,
      Messenger.Options options,
      ChatListener listener,
      EventLoop loop) {
    this.server = server;
    this.store = store;
    this.listener = listener;
    this.loop = loop;
    this.outbox = new Outbox(store, listener);
    this.presence = new Presence(options.presenceGrace(), listener);
    this.keys = new KeyWatch(pins, reopening, listener);
    this.idle = new IdleLinks(options.idleClose());
    this.files = new FileSender(outbox, listener, loop, this::flush);
    this.arrivals = new Arrivals(store, listener);
    this.incoming = new FileReceiver(store, downloads, options.maxFileBytes(), listener, arrivals);
    this.groups =
        new Groups(
            server,
            pins,
            new GroupStore(store),
            listener,
            loop,
            this::connect,
            files,
            downloads,
            options.maxFileBytes());
    // Before anything can arrive, and before the client is handed to its user.
    int unshown = loop.call(() -> arrivals.showUnshown() + groups.load());
    if (unshown > 0) {
      log.info("showed {} received entries that an earlier run stored but did not show", unshown);
    }
    this.links = links.apply(new LinkEvents());
    server.addListener(new ServerEvents());
    var unused = server.watch(peers());
    groups.links(this.links); // and their members watched, after the conversations' peers
    loop.schedule(this::tick, TICK);
  }

  /** Everyone the user has a conversation with: those we owe a message first, then by recency. */
  private List<UserName> peers() {
    LinkedHashSet<UserName> peers = new LinkedHashSet<>(outbox.peers());
    peers.addAll(store.conversations());
    return new ArrayList<>(peers);
  }

  /** {@code peer}'s conversation is the most recent: the server must tell when they come and go. */
  private void watch(UserName peer) {
    var unused = server.watch(List.of(peer));
  }

  PeerLinks links() {
    return links;
  }

  Groups groups() {
    return groups;
  }

  /** Hangs up every link; nothing more happens, though the loop may run on. Any thread. */
  void close() {
    closed = true;
    links.close();
  }

  /** Stores {@code draft} in the outbox and sends it if it can. */
  Entry enqueue(Entry draft, CompletableFuture<Entry> delivered) {
    Entry entry = outbox.add(draft, delivered);
    watch(entry.peer());
    flush(entry.peer());
    return entry;
  }

  /**
   * Takes {@code entry}, which the user's thread has just stored, into the outbox, and sends it
   * soon: sends taken in one turn of the loop go out in one flush.
   */
  void adopt(Entry entry, CompletableFuture<Entry> delivered) {
    outbox.adopt(entry, delivered);
    watch(entry.peer());
    if (flushing.add(entry.peer())) {
      loop.post(
          () -> {
            flushing.remove(entry.peer());
            flush(entry.peer());
          });
    }
  }

  /** Tells {@code peer} the user types, or stopped, at most every 3 s, if a link is open. */
  void typing(UserName peer, boolean active) {
    openLink(peer)
        .filter(link -> typing.tell(peer, active, loop.nanoTime()))
        .ifPresent(link -> link.trySend(new ChannelMessage.Typing(active)));
  }

  List<Entry> history(UserName peer, int limit) {
    return outbox.live(store.history(peer, limit));
  }

  /** The open link to {@code peer}, if there is one. */
  Optional<PeerLink> openLink(UserName peer) {
    return links.link(peer).filter(PeerLink::isOpen);
  }

  /** The user opened the conversation with {@code peer}: watches them, and opens a link. */
  void opened(UserName peer) {
    watch(peer);
    connect(peer);
  }

  /** Opens a link to {@code peer} unless there is one, the peer is away, or it must wait. */
  void connect(UserName peer) {
    if (closed
        || links.link(peer).isPresent()
        || !server.isOpen() // signals cannot travel while the server is away
        || server.onlineKey(peer).isEmpty()
        || !reopening.allowed(peer, loop.nanoTime())) {
      return;
    }
    var unused = links.open(peer); // how it ends comes as a link event
  }

  /** The user accepted {@code peer}'s new key. */
  void keyAccepted(UserName peer) {
    keys.accepted(peer);
    flush(peer);
  }

  /** Sends what the outbox holds for {@code peer} if a link is open, or opens one. */
  private void flush(UserName peer) {
    if (closed || outbox.isEmpty(peer)) {
      return;
    }
    PeerLink link = links.link(peer).orElse(null);
    if (link == null) {
      connect(peer);
      return;
    }
    if (!link.isOpen()) {
      return; // being opened: its opened event flushes
    }
    long now = loop.nanoTime();
    for (Outbox.Pending pending : outbox.pending(peer)) {
      if (!pending.due(link, now)) {
        continue;
      }
      Entry entry = pending.entry();
      if (entry.file() != null) {
        files.start(link, pending);
      } else if (link.trySend(new ChannelMessage.Chat(entry.id(), entry.ts(), entry.text()))) {
        outbox.carried(pending, link, now);
      }
    }
  }

  private void linkGone(UserName peer, @Nullable PeerLink link, @Nullable RuntimeException why) {
    if (link != null) {
      listener.linkClosed(peer);
    }
    if (why instanceof KeyChangedException changed) {
      keys.changed(changed);
    } else if (why instanceof NoPathException noPath) {
      log.info("no path to {}: {}", peer, noPath.getMessage());
      listener.noPath(peer, noPath);
    } else if (why != null) {
      listener.problem(peer, why.getMessage() == null ? why.toString() : why.getMessage());
    }
    files.linkGone(peer, link);
    incoming.linkGone(peer);
    if (link != null) {
      groups.linkGone(link);
    }
    typing.forget(peer);
    if (typing.clear(peer)) {
      listener.typing(peer, false);
    }
    if (!outbox.isEmpty(peer) && !(why instanceof KeyChangedException)) {
      reopening.failed(peer, why instanceof NoPathException, loop.nanoTime());
    }
  }

  private void onMessage(PeerLink link, ChannelMessage message) {
    UserName peer = link.peer();
    switch (message) {
      case ChannelMessage.Chat chat -> {
        arriving.add(new Arrived(link, chat));
        commitSoon();
      }
      case ChannelMessage.Ack ack -> {
        files.settled(peer, ack.id());
        settling.add(new Settling(peer, ack.id(), Delivery.DELIVERED, ""));
        commitSoon();
      }
      case ChannelMessage.Nack nack -> {
        files.settled(peer, nack.id());
        String why =
            nack.message().isEmpty() ? nack.reason() : nack.reason() + ": " + nack.message();
        settling.add(new Settling(peer, nack.id(), Delivery.FAILED, why));
        commitSoon();
      }
      case ChannelMessage.Typing typed -> {
        typing.seen(peer, typed.active(), loop.nanoTime());
        listener.typing(peer, typed.active());
      }
      case ChannelMessage.FileOffer offer -> {
        watch(peer);
        incoming.offer(link, offer);
      }
      case ChannelMessage.GroupEntry entry -> groups.received(link, entry.entry());
      case ChannelMessage.GroupSync sync -> groups.sync(link, sync);
      case ChannelMessage.GroupFileGet get -> groups.files().asked(link, get);
      case ChannelMessage.GroupFile announce -> groups.files().announced(link, announce);
      case ChannelMessage.GroupFileMissing missing -> groups.files().missing(link, missing);
      case ChannelMessage.GroupTyping typed -> groups.typists().seen(link, typed);
      case ChannelMessage.Hello unused -> {} // the link's own business: never handed on
    }
  }

  /** A message that arrived and waits to be stored with the others of its turn. */
  private record Arrived(PeerLink link, ChannelMessage.Chat chat) {}

  /** An acknowledgement or refusal that arrived and waits to be stored with the others. */
  private record Settling(UserName peer, String id, Delivery state, String why) {}

  /** Commits what arrived once the loop has taken in all that is waiting for it now. */
  private void commitSoon() {
    if (!commitPosted) {
      commitPosted = loop.post(this::commitTurn);
    }
  }

  /**
   * The group commit: the messages and acknowledgements that arrived since the last one, stored in
   * one transaction (one commit, not one per message). Only once it is committed is any of those
   * messages acknowledged, and any of our entries reported delivered; if it fails, none is stored,
   * and none acknowledged: they stay in the peers' outboxes and come again.
   */
  private void commitTurn() {
    commitPosted = false;
    List<Arrived> chats = arriving;
    List<Settling> acks = settling;
    arriving = new ArrayList<>();
    settling = new ArrayList<>();
    if (closed) {
      return; // nothing acknowledged: it comes again to the next run
    }
    List<Outbox.Settled> settled = new ArrayList<>(acks.size());
    for (Settling ack : acks) {
      Outbox.Settled taken = outbox.take(ack.peer(), ack.id(), ack.state(), ack.why());
      if (taken != null) {
        settled.add(taken);
      }
    }
    List<Optional<Entry>> stored = new ArrayList<>(chats.size());
    ProfileException failure = null;
    try {
      store.inTransaction(
          () -> {
            for (Arrived arrived : chats) {
              stored.add(store.add(received(arrived)));
            }
            settled.forEach(outbox::write);
          });
    } catch (ProfileException e) {
      failure = e;
    }
    if (failure == null) {
      acknowledge(chats, stored);
    } else {
      refuse(chats, failure);
    }
    LinkedHashSet<UserName> answered = new LinkedHashSet<>();
    for (Outbox.Settled done : settled) {
      outbox.report(done, failure);
      answered.add(done.entry().peer());
    }
    answered.forEach(this::flush);
  }

  private static Entry received(Arrived arrived) {
    ChannelMessage.Chat chat = arrived.chat();
    return new Entry(
        0,
        arrived.link().peer(),
        chat.id(),
        false,
        chat.ts(),
        chat.text(),
        null,
        Delivery.RECEIVED,
        "");
  }

  /**
   * {@code chats} are stored ({@code stored}: empty for a duplicate): acknowledges and shows them.
   */
  private void acknowledge(List<Arrived> chats, List<Optional<Entry>> stored) {
    LinkedHashSet<UserName> from = new LinkedHashSet<>();
    List<Entry> fresh = new ArrayList<>(chats.size());
    for (int i = 0; i < chats.size(); i++) {
      PeerLink link = chats.get(i).link();
      String id = chats.get(i).chat().id();
      UserName peer = link.peer();
      link.trySend(new ChannelMessage.Ack(id)); // a duplicate too: the first ack was lost
      if (typing.clear(peer)) {
        listener.typing(peer, false);
      }
      from.add(peer);
      stored
          .get(i)
          .ifPresentOrElse(
              fresh::add,
              () -> log.info("{}'s message {} is a duplicate: acknowledged again", peer, id));
    }
    from.forEach(this::watch);
    arrivals.arrived(fresh);
  }

  /** {@code chats} could not be stored: not acknowledged, they wait in the peers' outboxes. */
  private void refuse(List<Arrived> chats, ProfileException failure) {
    LinkedHashSet<UserName> from = new LinkedHashSet<>();
    chats.forEach(arrived -> from.add(arrived.link().peer()));
    for (UserName peer : from) {
      listener.problem(
          peer,
          "Cannot store a message from "
              + peer
              + ": "
              + failure.getMessage()
              + ". It waits in "
              + peer
              + "'s outbox and comes again.");
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      long now = loop.nanoTime();
      typing.expired(now).forEach(peer -> listener.typing(peer, false));
      presence.expire(now);
      idle.closeIdle(
          links,
          now,
          peer ->
              files.busy(peer)
                  || incoming.busy(peer)
                  || groups.files().busy(peer)
                  || !outbox.isEmpty(peer));
      outbox.peers().forEach(this::flush);
      groups.tick();
    } finally {
      loop.schedule(this::tick, TICK);
    }
  }

  /** What the links report, on the loop. */
  private final class LinkEvents implements LinkListener {
    @Override
    public void opened(PeerLink link) {
      reopening.reset(link.peer());
      listener.linkOpened(link.peer(), link.path());
      flush(link.peer());
      groups.linkOpened(link);
    }

    @Override
    public void pathChanged(PeerLink link) {
      link.path().ifPresent(path -> listener.linkPathChanged(link.peer(), path));
    }

    @Override
    public void closed(PeerLink link) {
      linkGone(link.peer(), link, null);
    }

    @Override
    public void refused(UserName peer, RuntimeException why) {
      linkGone(peer, null, why);
    }

    @Override
    public void received(PeerLink link, ChannelMessage message) {
      onMessage(link, message);
    }

    @Override
    public void chunk(PeerLink link, FileChunk chunk) {
      if (!groups.files().chunk(link, chunk)) {
        incoming.chunk(link, chunk);
      }
    }

    @Override
    public void drained(PeerLink link) {
      files.drained(link);
    }
  }

  /** Runs {@code task} on the loop unless the conversations are closed by then. */
  private void post(Runnable task) {
    loop.post(
        () -> {
          if (!closed) {
            task.run();
          }
        });
  }

  /** What the server reports, posted to the loop. */
  private final class ServerEvents implements ServerListener {
    @Override
    public void joined(OnlineUser user) {
      post(
          () -> {
            presence.joined(user.name(), user.publicKey());
            if (keys.check(user.name(), user.publicKey())) {
              reopening.reset(user.name());
              flush(user.name());
              groups.joined(user.name());
            }
          });
    }

    /**
     * A link to someone who left the server stays open while it works: the server may be what went
     * away (a stopping server announces everyone as gone). A peer that is really gone hangs up, or
     * stops answering and the link is given up (see {@link PeerLinks}). The user hears of it only
     * if the peer is not back within the grace ({@link Presence}).
     */
    @Override
    public void left(UserName name) {
      post(() -> presence.left(name, loop.nanoTime()));
    }

    @Override
    public void stateChanged(ServerState state) {
      post(
          () -> {
            listener.stateChanged(state);
            if (state == ServerState.ONLINE) {
              Map<UserName, IdentityKey> online = new HashMap<>();
              for (UserName peer : server.online()) {
                server.onlineKey(peer).ifPresent(key -> online.put(peer, key));
              }
              presence.connected(online, loop.nanoTime());
              online.forEach(keys::check);
              outbox.peers().forEach(Conversations.this::flush);
              groups.online();
            } else {
              presence.disconnected();
            }
          });
    }
  }
}
