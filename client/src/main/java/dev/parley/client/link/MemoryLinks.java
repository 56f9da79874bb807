package dev.parley.client.link;

import dev.parley.client.loop.EventLoop;
import dev.parley.client.server.ServerListener;
import dev.parley.client.server.ServerState;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One client's {@link PeerLinks} on a {@link MemoryNetwork}. The offer and answer are calls between
 * the two clients' links, posted to each client's event loop as a signal relayed by the server
 * would be; the key the peer holds (the one it logs in with) takes the place of the signature over
 * its DTLS fingerprint. Glare, refusals, presence and hangups follow the same rules as {@link
 * WebRtcLinks}.
 */
public final class MemoryLinks implements PeerLinks {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final MemoryNetwork network;
  private final Signaling server;
  private final KeyPins pins;
  private final EventLoop loop;
  private final LinkTable table;
  private final int port;
  // On the loop only: offers from peers the server has not announced yet.
  private final EarlySignals early;

  MemoryLinks(
      MemoryNetwork network,
      Signaling server,
      KeyPins pins,
      EventLoop loop,
      LinkListener listener,
      int port) {
    this.network = network;
    this.server = server;
    this.early = new EarlySignals(server);
    this.pins = pins;
    this.loop = loop;
    this.table = new LinkTable(listener);
    this.port = port;
    server.addListener(new Presence());
  }

  @Override
  public CompletableFuture<PeerLink> open(UserName peer) {
    CompletableFuture<PeerLink> result = new CompletableFuture<>();
    if (!loop.post(() -> open(peer, result))) {
      result.completeExceptionally(new LinkException("the client is closed"));
    }
    return result;
  }

  private void open(UserName peer, CompletableFuture<PeerLink> result) {
    if (table.get(peer) != null) {
      table.await(peer, result);
      return;
    }
    Optional<IdentityKey> presented = server.onlineKey(peer);
    if (presented.isEmpty()) {
      result.completeExceptionally(new LinkException(peer + " is not online"));
      return;
    }
    IdentityKey key;
    try {
      key = pins.trust(peer, presented.get());
    } catch (KeyChangedException e) {
      table.refused(peer, e, result);
      return;
    }
    MemoryLink link = new MemoryLink(this, peer, key, UUID.randomUUID().toString(), true);
    table.put(link, "replaced");
    table.await(peer, result);
    network
        .client(peer)
        .ifPresent(
            other -> {
              UserName self = name();
              IdentityKey proof = ownKey();
              other.loop.post(() -> other.onOffer(self, link, proof));
            });
  }

  @Override
  public Optional<PeerLink> link(UserName peer) {
    return Optional.ofNullable(table.get(peer));
  }

  @Override
  public List<PeerLink> links() {
    return table.all();
  }

  /** Hangs up every link and leaves the network (waiting up to 5 s, unless on the loop). */
  @Override
  public void close() {
    network.leave(this);
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean posted =
        loop.post(
            () -> {
              table.closeAll();
              done.complete(null);
            });
    if (!posted || loop.inLoop()) {
      return;
    }
    try {
      done.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("links did not close within " + CLOSE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  UserName name() {
    return server.name();
  }

  /** The key this client holds: what a WebRTC peer proves by signing its DTLS fingerprint. */
  IdentityKey ownKey() {
    return server.identity().publicKey();
  }

  EventLoop loop() {
    return loop;
  }

  LinkTable table() {
    return table;
  }

  int port() {
    return port;
  }

  MemoryNetwork network() {
    return network;
  }

  /** {@code from} offers {@code offer}; on our loop. */
  private void onOffer(UserName from, MemoryLink offer, IdentityKey proof) {
    if (early.holdUnlessKnown(from, () -> onOffer(from, offer, proof))) {
      return; // as with relayed signals
    }
    AbstractLink current = table.get(from);
    if (current != null && current.id().equals(offer.id())) {
      return;
    }
    boolean glare = table.glare(from);
    if (glare && LinkTable.ourOfferWins(name(), from)) {
      return; // our offer wins; the peer answers it
    }
    IdentityKey key;
    try {
      key = pins.trust(from, server.onlineKey(from).orElseThrow());
    } catch (KeyChangedException e) {
      offer.refusedBy(name(), "key_changed", String.valueOf(e.getMessage()));
      table.refused(from, e, new CompletableFuture<>());
      return;
    }
    MemoryLink link = new MemoryLink(this, from, key, offer.id(), false);
    table.put(link, glare ? "glare" : "replaced");
    link.answer(offer, proof);
  }

  /** {@code from} hung up its link {@code id}; on our loop. */
  void onHangup(UserName from, String id, String reason, String message) {
    AbstractLink current = table.get(from);
    if (current == null || !current.id().equals(id)) {
      return;
    }
    if (current.opened().isDone()) {
      current.end(null, null);
    } else if (reason.equals(WebRtcLink.NO_PATH)) {
      current.end(
          network.failure(name(), from).orElseGet(() -> new LinkException(from + ": no path")),
          null);
    } else {
      String why = message.isEmpty() ? reason : reason + ": " + message;
      current.end(new LinkRefusedException(from + " hung up: " + why), null);
    }
  }

  /** The network stopped carrying the link to {@code peer}. */
  void broken(UserName peer) {
    loop.post(
        () -> {
          AbstractLink link = table.get(peer);
          if (link != null) {
            link.end(new LinkException("the connection to " + peer + " failed"), null);
          }
        });
  }

  /** Server events, posted to the loop. */
  private final class Presence implements ServerListener {
    @Override
    public void joined(OnlineUser user) {
      loop.post(
          () -> {
            table.presented(user);
            early.release(user.name());
          });
    }

    @Override
    public void stateChanged(ServerState state) {
      if (state == ServerState.ONLINE) {
        loop.post(early::releaseKnown);
      }
    }

    @Override
    public void left(UserName name) {
      loop.post(
          () -> {
            early.forget(name);
            table.left(name);
          });
    }
  }

  /** For {@link MemoryLink}: the hangup reason that goes with a failure. */
  static String hangupFor(@Nullable LinkException cause) {
    return cause instanceof NoPathException ? WebRtcLink.NO_PATH : "failed";
  }
}
