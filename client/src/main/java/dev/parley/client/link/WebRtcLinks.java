package dev.parley.client.link;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.server.ServerListener;
import dev.parley.client.server.ServerState;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PeerLinks} over webrtc-java data channels: offers, answers, ICE candidates and hangups
 * travel as signals through the server (docs/p2p.md), and each side signs the DTLS fingerprint of
 * its own description, which the other checks against the key it trusts. Glare (both sides offer at
 * once) is resolved by name: the offer of the side whose name, in lower case, sorts higher wins;
 * the other side drops its own offer and answers.
 *
 * <p>A signal from a peer the server has not announced waits for its join: presence is batched,
 * signals are not; and a server in contacts presence mode tells only of the names we watch, so such
 * a peer is {@linkplain Signaling#watch watched}.
 *
 * <p>Threads: everything runs on the client's event loop, to which the server's signals and
 * presence are posted.
 */
public final class WebRtcLinks implements PeerLinks {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(WebRtcLinks.class);

  private final Signaling server;
  private final KeyPins pins;
  private final EventLoop loop;
  private final LinkTable table;
  private final LinkContext context;
  // On the loop only.
  private final EarlySignals early;

  /** Register before the server connection logs in, so that no early offer is missed. */
  public WebRtcLinks(
      Signaling server,
      PeerConnectionFactory factory,
      KeyPins pins,
      EventLoop loop,
      LinkListener listener) {
    this.server = server;
    this.early = new EarlySignals(server);
    this.pins = pins;
    this.loop = loop;
    this.table = new LinkTable(listener);
    this.context = new LinkContext(server, factory, loop, table);
    server.addListener(new Relay());
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
    WebRtcLink link = new WebRtcLink(context, peer, key, UUID.randomUUID().toString(), true);
    table.put(link, "replaced");
    table.await(peer, result);
    link.offer();
  }

  @Override
  public Optional<PeerLink> link(UserName peer) {
    return Optional.ofNullable(table.get(peer));
  }

  @Override
  public List<PeerLink> links() {
    return table.all();
  }

  private void onSignal(ServerMessage.Signal relayed) {
    UserName peer = relayed.from();
    if (early.holdUnlessKnown(peer, () -> onSignal(relayed))) {
      return;
    }
    LinkSignal signal;
    try {
      signal = LinkSignal.of(relayed.kind(), relayed.data());
    } catch (IllegalArgumentException e) {
      log.warn("ignoring a signal from {}: {}", peer, e.getMessage());
      return;
    }
    AbstractLink current = table.get(peer);
    if (signal instanceof LinkSignal.Description offer && offer.kind() == SignalKind.OFFER) {
      onOffer(peer, offer, current);
    } else if (current instanceof WebRtcLink link && link.id().equals(signal.link())) {
      switch (signal) {
        case LinkSignal.Description answer -> link.onAnswer(answer);
        case LinkSignal.Candidate candidate -> link.onCandidate(candidate);
        case LinkSignal.Hangup hangup -> link.onHangup(hangup);
      }
    }
  }

  private void onOffer(
      UserName peer, LinkSignal.Description offer, @Nullable AbstractLink current) {
    if (current != null && current.id().equals(offer.link())) {
      return;
    }
    boolean glare = table.glare(peer);
    if (glare && LinkTable.ourOfferWins(server.name(), peer)) {
      return; // our offer wins; the peer answers it
    }
    IdentityKey key;
    try {
      key = pins.trust(peer, server.onlineKey(peer).orElseThrow());
    } catch (KeyChangedException e) {
      server.signal(
          SignalKind.HANGUP,
          peer,
          new LinkSignal.Hangup(offer.link(), "key_changed", e.getMessage()).toJson());
      table.refused(peer, e, new CompletableFuture<>());
      return;
    } catch (ProfileException e) {
      // The pin could not be stored (a full disk): no link, the peer tries again later.
      server.signal(
          SignalKind.HANGUP,
          peer,
          new LinkSignal.Hangup(offer.link(), "failed", "the peer cannot store anything now")
              .toJson());
      table.refused(peer, e, new CompletableFuture<>());
      return;
    }
    WebRtcLink link = new WebRtcLink(context, peer, key, offer.link(), false);
    table.put(link, glare ? "glare" : "replaced");
    link.answer(offer);
  }

  /** Hangs up every link (waiting up to 5 s for that, unless called on the loop). */
  @Override
  public void close() {
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
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      log.warn("links did not close within {}", CLOSE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Server events, posted to the loop. */
  private final class Relay implements ServerListener {
    @Override
    public void signal(ServerMessage.Signal signal) {
      loop.post(() -> onSignal(signal));
    }

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
}
