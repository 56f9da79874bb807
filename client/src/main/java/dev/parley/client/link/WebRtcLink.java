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
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link over a WebRTC data channel whose DTLS fingerprint is signed by the key we trust for the
 * peer (docs/p2p.md): the offer or answer, ICE, the safety net, and the data channel.
 *
 * <p>Threads: every state change runs on the client's event loop, fed by WebRTC's callbacks (which
 * only post, never block; see {@link Observer}). webrtc-java's blocking steps ({@link RtcFutures})
 * run on the loop, never on WebRTC's threads, whose callbacks they wait for. Sends may come from
 * any thread: the {@link DataChannel} serializes them.
 */
final class WebRtcLink extends AbstractLink {
  /** The label of the one data channel a link has. */
  static final String LABEL = "parley-v1";

  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

  /** The hangup reason for a link whose ICE agent found no working candidate pair. */
  static final String NO_PATH = "no_path";

  /**
   * How often a waiting sender's channel is asked whether it drained: webrtc-java 0.14.0 never
   * reports a change of the buffered amount. At 100 MB/s the 768 KiB between the two marks go in
   * under 8 ms, so a poll of 2 ms could leave the channel idle for a quarter of each wait.
   */
  private static final Duration DRAIN_POLL = Duration.ofNanos(500_000);

  /** What we can read, said first on every link (docs/p2p.md, "Batches"). */
  private static final String HELLO =
      new ChannelMessage.Hello(Set.of(ChannelMessage.BATCH)).encode();

  /** How long a link may stay disconnected (ICE lost the peer) before it is given up. */
  private static final Duration DISCONNECTED_GRACE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(WebRtcLink.class);

  private final LinkContext context;
  private final RTCPeerConnection connection;
  private final Candidates candidates;
  private final DataChannel channel;
  private final AtomicBoolean wantsDrain = new AtomicBoolean();
  private final long created;
  private final IceReport ice = new IceReport();
  private boolean askedForPath;
  // The peer said it reads batches (its hello); written on the loop, read by senders anywhere.
  private volatile boolean batches;
  private boolean remoteDescriptionSet;
  private long disconnectedSince = -1;

  /** Runs on the loop; {@code peerKey} is the key we trust for {@code peer}. */
  WebRtcLink(LinkContext context, UserName peer, IdentityKey peerKey, String id, boolean offered) {
    super(peer, peerKey, id, offered, context.loop(), context.table());
    this.context = context;
    this.created = context.loop().nanoTime();
    this.candidates = new Candidates(context, peer, id);
    this.channel = new DataChannel(peer);
    this.connection =
        context
            .factory()
            .createPeerConnection(context.configuration(), new Observer(this, context.loop()));
    context.loop().schedule(this::giveUpUnlessOpen, OPEN_TIMEOUT);
  }

  @Override
  public CompletableFuture<Optional<LinkPath>> currentPath() {
    CompletableFuture<Optional<LinkPath>> result = new CompletableFuture<>();
    boolean posted =
        loop()
            .post(
                () -> {
                  if (ended()) {
                    result.complete(path());
                    return;
                  }
                  // Read on WebRTC's thread; the report is named on the loop, which owns it.
                  connection.getStats(
                      report -> {
                        Optional<LinkPath> now = SelectedPair.of(report);
                        if (!loop().post(() -> result.complete(pathNow(now)))) {
                          result.complete(path());
                        }
                      });
                });
    if (!posted) {
      result.complete(path());
    }
    return result;
  }

  /** The path as the stats name it now, if they do; the last one known otherwise. */
  private Optional<LinkPath> pathNow(Optional<LinkPath> now) {
    if (now.isPresent() && !ended()) {
      setPath(now.map(ice::refine));
    }
    return path();
  }

  /**
   * Sends {@code message}. To a peer that said it reads batches, a message while none waits goes at
   * once, and those sent after it are gathered until a task posted to the loop sends them as one
   * data channel message (see {@link DataChannel}).
   */
  @Override
  public void send(ChannelMessage message) {
    String text = message.encode();
    if (batches) {
      if (channel.sendOrGather(text) && !loop().post(this::flushQueued)) {
        channel.flushQueued(); // the client is closing: nothing more will be gathered
      }
    } else {
      channel.sendText(text);
    }
    touch();
  }

  private void flushQueued() {
    try {
      channel.flushQueued();
    } catch (LinkException e) {
      log.debug("link {} to {}: {}", id(), peer(), e.getMessage()); // its close event follows
    }
  }

  /** Whether the peer said it reads batches, so that sends are batched. */
  boolean batches() {
    return batches;
  }

  /** How many data channel messages this link sent: a batch counts once. */
  long dataChannelSends() {
    return channel.sends();
  }

  @Override
  void hello(ChannelMessage.Hello hello) {
    batches = hello.features().contains(ChannelMessage.BATCH);
    log.debug("link {} to {}: the peer reads {}", id(), peer(), hello.features());
  }

  @Override
  public boolean sendChunk(UUID file, byte[] data, int offset, int length) {
    boolean room = channel.sendChunk(file, data, offset, length, HIGH_WATER);
    touch();
    if (room) {
      return true;
    }
    wantsDrain.set(true);
    // The channel may have drained between the send and the flag: check once more.
    loop().post(this::checkDrained);
    return false;
  }

  @Override
  public long bufferedAmount() {
    return channel.bufferedAmount();
  }

  /** Offers the link: creates the data channel, then sends our signed offer. */
  void offer() {
    log.info("offering a link to {}", peer());
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
    log.info("answering the link {} offers", peer());
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

  /**
   * One of the peer's candidates. If the link is open and its path's peer end is still one ICE
   * learned from a check, this may be that end's signal, which came after the checks: WebRTC names
   * the end for it, so the link reads its path again.
   */
  void onCandidate(LinkSignal.Candidate candidate) {
    ice.remote(candidate.candidate());
    guard(() -> candidates.remote(connection, candidate));
    if (isOpen() && path().filter(p -> p.remote().type().equals("prflx")).isPresent()) {
      var unused = currentPath(); // keeps the new reading as path(); nobody waits for it here
    }
  }

  /**
   * The peer hung up. If its ICE agent found no path before ours did, our own view explains it:
   * both sides had the same server and so the same relay.
   */
  void onHangup(LinkSignal.Hangup hangup) {
    if (opened().isDone()) {
      end(null, null);
    } else if (hangup.reason().equals(NO_PATH)) {
      end(ice.noPath(peer().value(), context.relayOffered()), null);
    } else {
      String why =
          hangup.message().isEmpty() ? hangup.reason() : hangup.reason() + ": " + hangup.message();
      end(new LinkRefusedException(peer() + " hung up: " + why), null);
    }
  }

  @Override
  void release(@Nullable LinkException cause, @Nullable String hangup) {
    if (hangup != null && context.server().isOpen()) {
      String message = cause == null ? "" : String.valueOf(cause.getMessage());
      context
          .server()
          .signal(SignalKind.HANGUP, peer(), new LinkSignal.Hangup(id(), hangup, message).toJson());
    }
    channel.close();
    connection.close();
  }

  /** Takes the data channel: ours when offering, the peer's (from a WebRTC callback) otherwise. */
  void adopt(RTCDataChannel created) {
    channel.adopt(created, new ChannelObserver(this, loop()));
  }

  /**
   * The safety net behind ICE's own verdict (which comes about 15 s after checks start): a peer
   * that never answered our offer, or an agent that never decided.
   */
  private void giveUpUnlessOpen() {
    if (opened().isDone()) {
      return;
    }
    end(
        remoteDescriptionSet
            ? ice.noPath(peer().value(), context.relayOffered())
            : new LinkException(
                peer() + " did not answer within " + OPEN_TIMEOUT.toSeconds() + " s"),
        "failed");
  }

  /**
   * A failed connection ends the link at once; a disconnected one (the peer stopped answering
   * connectivity checks, which can heal) after {@link #DISCONNECTED_GRACE} unless it reconnects.
   */
  void connectionChanged(RTCPeerConnectionState state) {
    if (ended()) {
      return;
    }
    log.debug("link {} to {}: connection {} after {} ms", id(), peer(), state, sinceCreated());
    switch (state) {
      case FAILED ->
          end(
              opened().isDone()
                  ? new LinkException("the connection to " + peer() + " failed")
                  : ice.noPath(peer().value(), context.relayOffered()),
              opened().isDone() ? "failed" : NO_PATH);
      case DISCONNECTED -> {
        long since = loop().nanoTime();
        disconnectedSince = since;
        loop()
            .schedule(
                () -> {
                  if (!ended() && disconnectedSince == since) {
                    end(
                        new LinkException(
                            "lost the connection to "
                                + peer()
                                + " for "
                                + DISCONNECTED_GRACE.toSeconds()
                                + " s"),
                        "failed");
                  }
                },
                DISCONNECTED_GRACE);
      }
      case CONNECTED -> disconnectedSince = -1;
      default -> {}
    }
  }

  void localCandidate(RTCIceCandidate candidate) {
    if (!ended()) {
      ice.local(candidate.sdp);
      log.debug("link {} to {}: local candidate {}", id(), peer(), candidate.sdp);
      candidates.local(candidate);
    }
  }

  void iceChanged(RTCIceConnectionState state) {
    log.debug("link {} to {}: ICE {} after {} ms", id(), peer(), state, sinceCreated());
  }

  void gatheringChanged(RTCIceGatheringState state) {
    log.debug("link {} to {}: gathering {} after {} ms", id(), peer(), state, sinceCreated());
  }

  void iceServerError(IceServerError error) {
    log.debug(
        "link {} to {}: {} answered {} {}", id(), peer(), error.url(), error.code(), error.text());
    ice.error(error);
  }

  private long sinceCreated() {
    return (loop().nanoTime() - created) / 1_000_000;
  }

  /** The data channel is open and WebRTC told us the pair it uses: the link is open. */
  private void pathFound(Optional<LinkPath> found) {
    if (ended() || opened().isDone()) {
      return;
    }
    log.info(
        "link to {} open after {} ms, {}",
        peer(),
        sinceCreated(),
        found.map(LinkPath::describe).orElse("path unknown"));
    markOpen(found);
  }

  void channelStateChanged() {
    if (ended()) {
      return;
    }
    RTCDataChannelState state = channel.state();
    if (state == RTCDataChannelState.OPEN && !opened().isDone() && !askedForPath) {
      askedForPath = true;
      try {
        channel.sendText(HELLO); // our first message, before anything the open lets through
      } catch (LinkException e) {
        log.debug("link {} to {}: no hello: {}", id(), peer(), e.getMessage());
      }
      connection.getStats(
          report -> {
            Optional<LinkPath> found = SelectedPair.of(report);
            if (found.isEmpty()) {
              log.debug("link {} to {}: no selected pair in {}", id(), peer(), report);
            }
            loop().post(() -> pathFound(found.map(ice::refine)));
          });
    } else if (state == RTCDataChannelState.CLOSED) {
      end(
          opened().isDone() ? null : new LinkException("the data channel to " + peer() + " closed"),
          null);
    }
  }

  /** From a WebRTC callback thread: post only if a sender waits for the channel to drain. */
  void bufferedAmountChanged() {
    if (wantsDrain.get()) {
      loop().post(this::checkDrained);
    }
  }

  /**
   * Tells the sender once the buffer is low again. webrtc-java 0.14.0 does not report changes of
   * the buffered amount, so while a sender waits this polls, every {@link #DRAIN_POLL}.
   */
  private void checkDrained() {
    if (ended() || !wantsDrain.get()) {
      return;
    }
    if (channel.bufferedAmount() <= LOW_WATER) {
      if (wantsDrain.compareAndSet(true, false)) {
        drained();
      }
    } else {
      loop().schedule(this::checkDrained, DRAIN_POLL);
    }
  }

  private void setRemote(RTCSdpType type, LinkSignal.Description description) {
    DtlsFingerprint.verify(
        peerKey(), peer(), context.self(), id(), description.sdp(), description.signature());
    RtcFutures.setRemote(connection, new RTCSessionDescription(type, description.sdp()));
    remoteDescriptionSet = true;
    candidates.remoteDescriptionSet(connection);
  }

  private void sendDescription(SignalKind kind, String sdp) {
    var signature =
        DtlsFingerprint.sign(context.server().identity(), context.self(), peer(), id(), sdp);
    context
        .server()
        .signal(kind, peer(), new LinkSignal.Description(kind, id(), sdp, signature).toJson());
    candidates.descriptionSent();
  }

  /** Runs one step; a failure ends the link and tells the peer why. */
  private void guard(Runnable step) {
    if (ended()) {
      return;
    }
    try {
      step.run();
    } catch (FingerprintMismatchException e) {
      log.warn("refusing the link to {}: {}", peer(), e.getMessage());
      end(e, "bad_fingerprint");
    } catch (LinkException e) {
      end(e, "failed");
    } catch (RuntimeException e) {
      end(new LinkException("the link to " + peer() + " failed: " + e.getMessage(), e), "failed");
    }
  }
}
