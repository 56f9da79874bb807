package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A direct WebRTC data channel to one peer whose DTLS fingerprint is signed by the key we trust for
 * them. Control messages cross it as JSON text, file data as binary chunks (docs/p2p.md).
 *
 * <p>Threads: every state change runs on the client's link thread, fed by WebRTC's callbacks (which
 * only hand work over, never block); the public methods may be called from any thread.
 */
public final class PeerLink {
  /** The label of the one data channel a link has. */
  static final String LABEL = "parley-v1";

  /** The largest message we send: the SCTP max-message-size libwebrtc advertises (256 KiB). */
  public static final int MAX_MESSAGE_BYTES = 256 * 1024;

  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

  /** The hangup reason for a link whose ICE agent found no working candidate pair. */
  static final String NO_PATH = "no_path";

  private static final Duration DRAIN_POLL = Duration.ofMillis(2);
  private static final java.util.concurrent.Executor DRAIN_POLLER =
      CompletableFuture.delayedExecutor(DRAIN_POLL.toMillis(), TimeUnit.MILLISECONDS);

  /** How long a link may stay disconnected (ICE lost the peer) before it is given up. */
  private static final Duration DISCONNECTED_GRACE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  /** Above this many buffered bytes a file sender should wait for {@link Events#drained}. */
  public static final long HIGH_WATER = 1024 * 1024;

  /** {@link Events#drained} fires when the buffered bytes fall to this. */
  public static final long LOW_WATER = 256 * 1024;

  /** What a link tells its owner; called on the link thread. */
  interface Events {
    void opened(PeerLink link);

    void received(PeerLink link, ChannelMessage message);

    void chunk(PeerLink link, FileChunk chunk);

    void drained(PeerLink link);

    void ended(PeerLink link, @Nullable LinkException cause);
  }

  private final LinkContext context;
  private final UserName peer;
  private final IdentityKey peerKey;
  private final String id;
  private final Events events;
  private final RTCPeerConnection connection;
  private final Candidates candidates;
  private final DataChannel channel;
  private final CompletableFuture<PeerLink> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicBoolean wantsDrain = new AtomicBoolean();
  private volatile long lastActivity = System.nanoTime();
  private final long created = System.nanoTime();
  private final IceReport ice = new IceReport();
  private volatile Optional<LinkPath> path = Optional.empty();
  private boolean ended;
  private boolean askedForPath;
  private boolean remoteDescriptionSet;
  private long disconnectedSince = -1;

  /** Runs on the link thread; {@code peerKey} is the key we trust for {@code peer}. */
  PeerLink(LinkContext context, UserName peer, IdentityKey peerKey, String id, Events events) {
    this.context = context;
    this.peer = peer;
    this.peerKey = peerKey;
    this.id = id;
    this.events = events;
    this.candidates = new Candidates(context, peer, id);
    this.channel = new DataChannel(peer);
    this.connection =
        context
            .factory()
            .createPeerConnection(context.configuration(), new Observer(this, context));
    CompletableFuture.delayedExecutor(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> context.run(this::giveUpUnlessOpen));
  }

  public UserName peer() {
    return peer;
  }

  /** The identity key this link's peer proved, by signing its DTLS fingerprint. */
  public IdentityKey peerKey() {
    return peerKey;
  }

  /** The link's id, chosen by the side that offered. */
  public String id() {
    return id;
  }

  /** Completes when the data channel is open; fails if the link is refused or breaks first. */
  public CompletableFuture<PeerLink> opened() {
    return opened;
  }

  public CompletableFuture<Void> closed() {
    return closed;
  }

  /**
   * How this link reached its peer when it opened (direct, through NAT, relayed); empty before it
   * opened, or if WebRTC did not say.
   */
  public Optional<LinkPath> path() {
    return path;
  }

  /** Asks WebRTC again which path the link takes now: ICE may have moved to a better pair. */
  public CompletableFuture<Optional<LinkPath>> currentPath() {
    CompletableFuture<Optional<LinkPath>> result = new CompletableFuture<>();
    context.run(
        () -> {
          if (ended) {
            result.complete(path);
            return;
          }
          // Read on WebRTC's thread; the report is named on the link thread, which owns it.
          connection.getStats(
              report -> {
                Optional<LinkPath> now = SelectedPair.of(report);
                if (!context.run(() -> result.complete(pathNow(now)))) {
                  result.complete(path);
                }
              });
        });
    return result;
  }

  /** The path as the stats name it now, if they do; the last one known otherwise. */
  private Optional<LinkPath> pathNow(Optional<LinkPath> now) {
    if (now.isPresent()) {
      path = now.map(ice::refine);
    }
    return path;
  }

  public boolean isOpen() {
    return opened.isDone() && !opened.isCompletedExceptionally() && !closed.isDone();
  }

  /**
   * Sends a control message now, from any thread. Delivery is the caller's business: links do not
   * acknowledge or retry (docs/p2p.md, "Delivery").
   *
   * @throws LinkException if the link is not open
   * @throws IllegalArgumentException if the encoded message exceeds {@link #MAX_MESSAGE_BYTES}
   */
  public void send(ChannelMessage message) {
    channel.sendText(message.encode());
    lastActivity = System.nanoTime();
  }

  /**
   * Sends {@code length} bytes of file {@code file} from {@code data}, from any thread. Returns
   * whether the caller may send more now; if not, wait for the drained event before the next chunk.
   *
   * @throws LinkException if the link is not open
   */
  public boolean sendChunk(UUID file, byte[] data, int offset, int length) {
    channel.send(FileChunk.encode(file, data, offset, length), true);
    lastActivity = System.nanoTime();
    if (channel.bufferedAmount() <= HIGH_WATER) {
      return true;
    }
    wantsDrain.set(true);
    // The channel may have drained between the send and the flag: check once more.
    context.run(this::checkDrained);
    return false;
  }

  /** Bytes written to the link and not yet handed to the network. */
  public long bufferedAmount() {
    return channel.bufferedAmount();
  }

  /** When the link last sent or received anything, on the {@link System#nanoTime()} clock. */
  public long lastActivity() {
    return lastActivity;
  }

  /** Hangs up because the link carried nothing for a while; the next message opens a new one. */
  public void closeIdle() {
    context.run(() -> end(null, "idle"));
  }

  /** Hangs up: closes the data channel and the peer connection and tells the peer. */
  public void close() {
    context.run(() -> end(null, "closed"));
  }

  /** Offers the link: creates the data channel, then sends our signed offer. */
  void offer() {
    log.info("offering a link to {}", peer);
    guard(
        () -> {
          RTCDataChannel created = connection.createDataChannel(LABEL, new RTCDataChannelInit());
          adopt(created);
          RTCSessionDescription offer = RtcFutures.createOffer(connection);
          RtcFutures.setLocal(connection, offer);
          sendDescription(SignalKind.OFFER, offer.sdp);
        });
  }

  /** Answers the peer's offer, once its fingerprint proves to be signed by the peer's key. */
  void answer(LinkSignal.Description offer) {
    log.info("answering the link {} offers", peer);
    guard(
        () -> {
          setRemote(RTCSdpType.OFFER, offer);
          RTCSessionDescription answer = RtcFutures.createAnswer(connection);
          RtcFutures.setLocal(connection, answer);
          sendDescription(SignalKind.ANSWER, answer.sdp);
        });
  }

  void onAnswer(LinkSignal.Description answer) {
    guard(() -> setRemote(RTCSdpType.ANSWER, answer));
  }

  void onCandidate(LinkSignal.Candidate candidate) {
    ice.remote(candidate.candidate());
    guard(() -> candidates.remote(connection, candidate));
  }

  /**
   * The peer hung up. If its ICE agent found no path before ours did, our own view explains it:
   * both sides had the same server and so the same relay.
   */
  void onHangup(LinkSignal.Hangup hangup) {
    if (opened.isDone()) {
      end(null, null);
    } else if (hangup.reason().equals(NO_PATH)) {
      end(ice.noPath(peer.value(), context.relayOffered()), null);
    } else {
      String why =
          hangup.message().isEmpty() ? hangup.reason() : hangup.reason() + ": " + hangup.message();
      end(new LinkRefusedException(peer + " hung up: " + why), null);
    }
  }

  /** Ends the link for the reason given; {@code hangup}, if not null, is what we tell the peer. */
  void end(@Nullable LinkException cause, @Nullable String hangup) {
    if (ended) {
      return;
    }
    ended = true;
    if (hangup != null && context.server().isOpen()) {
      String message = cause == null ? "" : String.valueOf(cause.getMessage());
      context
          .server()
          .signal(SignalKind.HANGUP, peer, new LinkSignal.Hangup(id, hangup, message).toJson());
    }
    LinkException over =
        cause != null ? cause : new LinkException("the link to " + peer + " is closed");
    channel.close();
    connection.close();
    opened.completeExceptionally(over);
    closed.complete(null);
    events.ended(this, cause);
  }

  /** Takes the data channel: ours when offering, the peer's (from a WebRTC callback) otherwise. */
  void adopt(RTCDataChannel created) {
    channel.adopt(created, new ChannelObserver(this, context));
  }

  /**
   * The safety net behind ICE's own verdict (which comes about 15 s after checks start): a peer
   * that never answered our offer, or an agent that never decided.
   */
  private void giveUpUnlessOpen() {
    if (opened.isDone()) {
      return;
    }
    end(
        remoteDescriptionSet
            ? ice.noPath(peer.value(), context.relayOffered())
            : new LinkException(peer + " did not answer within " + OPEN_TIMEOUT.toSeconds() + " s"),
        "failed");
  }

  /**
   * A failed connection ends the link at once; a disconnected one (the peer stopped answering
   * connectivity checks, which can heal) after {@link #DISCONNECTED_GRACE} unless it reconnects.
   */
  void connectionChanged(RTCPeerConnectionState state) {
    if (ended) {
      return;
    }
    log.debug("link {} to {}: connection {} after {} ms", id, peer, state, sinceCreated());
    switch (state) {
      case FAILED ->
          end(
              opened.isDone()
                  ? new LinkException("the connection to " + peer + " failed")
                  : ice.noPath(peer.value(), context.relayOffered()),
              opened.isDone() ? "failed" : NO_PATH);
      case DISCONNECTED -> {
        long since = System.nanoTime();
        disconnectedSince = since;
        CompletableFuture.delayedExecutor(DISCONNECTED_GRACE.toMillis(), TimeUnit.MILLISECONDS)
            .execute(
                () ->
                    context.run(
                        () -> {
                          if (!ended && disconnectedSince == since) {
                            end(
                                new LinkException(
                                    "lost the connection to "
                                        + peer
                                        + " for "
                                        + DISCONNECTED_GRACE.toSeconds()
                                        + " s"),
                                "failed");
                          }
                        }));
      }
      case CONNECTED -> disconnectedSince = -1;
      default -> {}
    }
  }

  void localCandidate(RTCIceCandidate candidate) {
    if (!ended) {
      ice.local(candidate.sdp);
      log.debug("link {} to {}: local candidate {}", id, peer, candidate.sdp);
      candidates.local(candidate);
    }
  }

  void iceChanged(RTCIceConnectionState state) {
    log.debug("link {} to {}: ICE {} after {} ms", id, peer, state, sinceCreated());
  }

  void gatheringChanged(RTCIceGatheringState state) {
    log.debug("link {} to {}: gathering {} after {} ms", id, peer, state, sinceCreated());
  }

  void iceServerError(IceServerError error) {
    log.debug(
        "link {} to {}: {} answered {} {}", id, peer, error.url(), error.code(), error.text());
    ice.error(error);
  }

  private long sinceCreated() {
    return (System.nanoTime() - created) / 1_000_000;
  }

  /** The data channel is open and WebRTC told us the pair it uses: the link is open. */
  private void pathFound(Optional<LinkPath> found) {
    if (ended || !opened.complete(this)) {
      return;
    }
    path = found;
    log.info(
        "link to {} open after {} ms, {}",
        peer,
        sinceCreated(),
        found.map(LinkPath::describe).orElse("path unknown"));
    events.opened(this);
  }

  void channelStateChanged() {
    if (ended) {
      return;
    }
    RTCDataChannelState state = channel.state();
    if (state == RTCDataChannelState.OPEN && !opened.isDone() && !askedForPath) {
      askedForPath = true;
      connection.getStats(
          report -> {
            Optional<LinkPath> found = SelectedPair.of(report);
            if (found.isEmpty()) {
              log.debug("link {} to {}: no selected pair in {}", id, peer, report);
            }
            context.run(() -> pathFound(found.map(ice::refine)));
          });
    } else if (state == RTCDataChannelState.CLOSED) {
      end(
          opened.isDone() ? null : new LinkException("the data channel to " + peer + " closed"),
          null);
    }
  }

  void received(String text) {
    if (ended) {
      return;
    }
    lastActivity = System.nanoTime();
    try {
      ChannelMessage.decode(text).ifPresent(message -> events.received(this, message));
    } catch (IllegalArgumentException e) {
      log.warn("ignoring a malformed message from {}: {}", peer, e.getMessage());
    }
  }

  void receivedBinary(ByteBuffer message) {
    if (ended) {
      return;
    }
    lastActivity = System.nanoTime();
    try {
      events.chunk(this, FileChunk.decode(message));
    } catch (IllegalArgumentException e) {
      log.warn("ignoring a malformed binary message from {}: {}", peer, e.getMessage());
    }
  }

  /** From a WebRTC callback thread: hand over only if a sender waits for the channel to drain. */
  void bufferedAmountChanged() {
    if (wantsDrain.get()) {
      context.run(this::checkDrained);
    }
  }

  /**
   * Tells the sender once the buffer is low again. webrtc-java does not report every change of the
   * buffered amount, so while a sender waits this also polls, every {@link #DRAIN_POLL}.
   */
  private void checkDrained() {
    if (ended || !wantsDrain.get()) {
      return;
    }
    if (channel.bufferedAmount() <= LOW_WATER) {
      if (wantsDrain.compareAndSet(true, false)) {
        events.drained(this);
      }
    } else {
      DRAIN_POLLER.execute(() -> context.run(this::checkDrained));
    }
  }

  private void setRemote(RTCSdpType type, LinkSignal.Description description) {
    DtlsFingerprint.verify(
        peerKey, peer, context.self(), id, description.sdp(), description.signature());
    RtcFutures.setRemote(connection, new RTCSessionDescription(type, description.sdp()));
    remoteDescriptionSet = true;
    candidates.remoteDescriptionSet(connection);
  }

  private void sendDescription(SignalKind kind, String sdp) {
    var signature =
        DtlsFingerprint.sign(context.server().identity(), context.self(), peer, id, sdp);
    context
        .server()
        .signal(kind, peer, new LinkSignal.Description(kind, id, sdp, signature).toJson());
    candidates.descriptionSent();
  }

  /** Runs one step; a failure ends the link and tells the peer why. */
  private void guard(Runnable step) {
    if (ended) {
      return;
    }
    try {
      step.run();
    } catch (FingerprintMismatchException e) {
      log.warn("refusing the link to {}: {}", peer, e.getMessage());
      end(e, "bad_fingerprint");
    } catch (LinkException e) {
      end(e, "failed");
    } catch (RuntimeException e) {
      end(new LinkException("the link to " + peer + " failed: " + e.getMessage(), e), "failed");
    }
  }
}
