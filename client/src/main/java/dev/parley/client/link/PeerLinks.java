package dev.parley.client.link;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.parley.client.server.ServerListener;
import dev.parley.client.server.Signaling;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's peer-to-peer links, at most one per peer, opened on demand: {@link #open} offers one,
 * and an offer relayed by the server is answered. The peer's identity key comes from the server's
 * presence and must match the key pinned for that name ({@link KeyPins}).
 *
 * <p>Glare (both sides offer at once) is resolved by name: the offer of the side whose name, in
 * lower case, sorts higher wins; the other side drops its own offer and answers.
 */
public final class PeerLinks implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_EARLY_SIGNALS = 64;
  private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);

  private final Signaling server;
  private final KeyPins pins;
  private final LinkListener listener;
  private final ExecutorService thread;
  private final LinkContext context;
  private final Events events = new Events();
  // The maps below are touched on the link thread only.
  private final Map<UserName, PeerLink> links = new HashMap<>();
  private final Map<UserName, CompletableFuture<PeerLink>> offering = new HashMap<>();
  private final Map<UserName, List<ServerMessage.Signal>> early = new HashMap<>();

  /** Register before the server connection logs in, so that no early offer is missed. */
  public PeerLinks(
      Signaling server, PeerConnectionFactory factory, KeyPins pins, LinkListener listener) {
    this.server = server;
    this.pins = pins;
    this.listener = listener;
    this.thread =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("parley-links").daemon().factory());
    this.context = new LinkContext(server, factory, thread);
    server.addListener(new Relay());
  }

  /** The link to {@code peer}: the open one, the one being opened, or a new one we offer. */
  public CompletableFuture<PeerLink> open(UserName peer) {
    CompletableFuture<PeerLink> result = new CompletableFuture<>();
    if (!context.run(() -> open(peer, result))) {
      result.completeExceptionally(new LinkException("the client is closed"));
    }
    return result;
  }

  private void open(UserName peer, CompletableFuture<PeerLink> result) {
    CompletableFuture<PeerLink> pending = offering.get(peer);
    PeerLink current = links.get(peer);
    if (pending != null || current != null) {
      forward(pending != null ? pending : current.opened(), result);
      return;
    }
    IdentityKey key;
    try {
      key =
          pins.trust(
              peer,
              server.onlineKey(peer).orElseThrow(() -> new LinkException(peer + " is not online")));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    pending = new CompletableFuture<>();
    offering.put(peer, pending);
    forward(pending, result);
    PeerLink link = new PeerLink(context, peer, key, UUID.randomUUID().toString(), events);
    links.put(peer, link);
    link.offer();
  }

  private void onSignal(ServerMessage.Signal relayed) {
    UserName peer = relayed.from();
    if (server.onlineKey(peer).isEmpty()) {
      // Presence is batched, signals are not: the peer's join may still be on its way.
      List<ServerMessage.Signal> waiting = early.computeIfAbsent(peer, p -> new ArrayList<>());
      if (waiting.size() < MAX_EARLY_SIGNALS) {
        waiting.add(relayed);
      }
      return;
    }
    LinkSignal signal;
    try {
      signal = LinkSignal.of(relayed.kind(), relayed.data());
    } catch (IllegalArgumentException e) {
      log.warn("ignoring a signal from {}: {}", peer, e.getMessage());
      return;
    }
    PeerLink current = links.get(peer);
    if (signal instanceof LinkSignal.Description offer && offer.kind() == SignalKind.OFFER) {
      onOffer(peer, offer, current);
    } else if (current != null && current.id().equals(signal.link())) {
      switch (signal) {
        case LinkSignal.Description answer -> current.onAnswer(answer);
        case LinkSignal.Candidate candidate -> current.onCandidate(candidate);
        case LinkSignal.Hangup hangup -> current.onHangup(hangup);
      }
    }
  }

  private void onOffer(UserName peer, LinkSignal.Description offer, @Nullable PeerLink current) {
    if (current != null && current.id().equals(offer.link())) {
      return;
    }
    boolean glare = current != null && offering.containsKey(peer);
    if (glare && server.name().key().compareTo(peer.key()) > 0) {
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
      listener.refused(peer, e);
      return;
    }
    if (current != null) {
      links.remove(peer);
      current.end(null, glare ? "glare" : "replaced");
    }
    PeerLink link = new PeerLink(context, peer, key, offer.link(), events);
    links.put(peer, link);
    link.answer(offer);
  }

  /** Hangs up every link, then stops the link thread. The WebRTC factory is the caller's. */
  @Override
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean running =
        context.run(
            () -> {
              List.copyOf(links.values()).forEach(link -> link.end(null, "closed"));
              done.complete(null);
            });
    thread.shutdown();
    try {
      if (running) {
        done.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      thread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("links did not close within {}", CLOSE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
    CompletableFuture<T> unused =
        from.whenComplete(
            (value, error) -> {
              if (error != null) {
                to.completeExceptionally(error);
              } else {
                to.complete(value);
              }
            });
  }

  /** What the links report, on the link thread. */
  private final class Events implements PeerLink.Events {
    @Override
    public void opened(PeerLink link) {
      CompletableFuture<PeerLink> pending = offering.remove(link.peer());
      if (pending != null) {
        pending.complete(link);
      }
      listener.opened(link);
    }

    @Override
    public void received(PeerLink link, ChannelMessage message) {
      listener.received(link, message);
    }

    @Override
    public void chunk(PeerLink link, FileChunk chunk) {
      listener.chunk(link, chunk);
    }

    @Override
    public void drained(PeerLink link) {
      listener.drained(link);
    }

    @Override
    public void ended(PeerLink link, @Nullable LinkException cause) {
      if (links.get(link.peer()) != link) {
        return; // replaced by a newer link, which now answers for the peer
      }
      links.remove(link.peer());
      CompletableFuture<PeerLink> pending = offering.remove(link.peer());
      if (pending != null) {
        pending.completeExceptionally(
            cause != null ? cause : new LinkException("closed before it opened"));
      }
      if (link.opened().isCompletedExceptionally() && cause != null) {
        listener.refused(link.peer(), cause);
      } else {
        listener.closed(link);
      }
    }
  }

  /** Server events, handed to the link thread. */
  private final class Relay implements ServerListener {
    @Override
    public void signal(ServerMessage.Signal signal) {
      context.run(() -> onSignal(signal));
    }

    /**
     * A link belongs to the key it was verified against: when the server presents another key for
     * that name (a new device, a reset server, an impostor), the link ends.
     */
    @Override
    public void joined(OnlineUser user) {
      context.run(
          () -> {
            PeerLink link = links.get(user.name());
            if (link != null && !link.peerKey().equals(user.publicKey())) {
              link.end(new LinkException(user.name() + " has another key now"), "key_changed");
            }
            List<ServerMessage.Signal> waiting = early.remove(user.name());
            if (waiting != null) {
              waiting.forEach(PeerLinks.this::onSignal);
            }
          });
    }

    /**
     * An open link outlives its peer's leaving the server (the server may be what went away); one
     * still being negotiated is abandoned, since its signals can no longer reach the peer.
     */
    @Override
    public void left(UserName name) {
      context.run(
          () -> {
            early.remove(name);
            PeerLink link = links.get(name);
            if (link != null && !link.opened().isDone()) {
              link.end(new LinkException(name + " went offline"), null);
            }
          });
    }
  }
}
