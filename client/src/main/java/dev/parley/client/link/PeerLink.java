package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A direct WebRTC data channel to one peer whose DTLS fingerprint is signed by the key we trust for
 * them. Chat messages cross it as JSON and are acknowledged end to end (docs/p2p.md).
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
  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  /** What a link tells its owner; called on the link thread. */
  interface Events {
    void opened(PeerLink link);

    void message(PeerLink link, ChannelMessage.Chat message);

    void ended(PeerLink link, @Nullable LinkException cause);
  }

  private final LinkContext context;
  private final UserName peer;
  private final IdentityKey peerKey;
  private final String id;
  private final Events events;
  private final RTCPeerConnection connection;
  private final Candidates candidates;
  private final ChatChannel chat;
  private final CompletableFuture<PeerLink> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private boolean ended;

  /** Runs on the link thread; {@code peerKey} is the key we trust for {@code peer}. */
  PeerLink(LinkContext context, UserName peer, IdentityKey peerKey, String id, Events events) {
    this.context = context;
    this.peer = peer;
    this.peerKey = peerKey;
    this.id = id;
    this.events = events;
    this.candidates = new Candidates(context, peer, id);
    this.chat = new ChatChannel(peer);
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

  public boolean isOpen() {
    return opened.isDone() && !opened.isCompletedExceptionally() && !closed.isDone();
  }

  /**
   * Sends a chat message; the future completes when the peer acknowledges it.
   *
   * @throws IllegalArgumentException if the encoded message exceeds {@link #MAX_MESSAGE_BYTES}
   */
  public CompletableFuture<Void> send(String text) {
    ChatChannel.Outgoing outgoing = chat.prepare(text);
    if (!context.run(() -> chat.transmit(outgoing))) {
      outgoing.acked().completeExceptionally(new LinkException("the client is closed"));
    }
    return outgoing.acked();
  }

  /** Hangs up: closes the data channel and the peer connection and tells the peer. */
  public void close() {
    context.run(() -> end(null, "closed"));
  }

  /** Offers the link: creates the data channel, then sends our signed offer. */
  void offer() {
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
    guard(() -> candidates.remote(connection, candidate));
  }

  void onHangup(LinkSignal.Hangup hangup) {
    String why =
        hangup.message().isEmpty() ? hangup.reason() : hangup.reason() + ": " + hangup.message();
    end(opened.isDone() ? null : new LinkRefusedException(peer + " hung up: " + why), null);
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
    chat.close(over);
    connection.close();
    opened.completeExceptionally(over);
    closed.complete(null);
    events.ended(this, cause);
  }

  /** Takes the data channel: ours when offering, the peer's (from a WebRTC callback) otherwise. */
  void adopt(RTCDataChannel created) {
    chat.adopt(created, new ChannelObserver(this, context));
  }

  private void giveUpUnlessOpen() {
    if (!opened.isDone()) {
      end(new LinkException("no link to " + peer + " within " + OPEN_TIMEOUT), "failed");
    }
  }

  void localCandidate(RTCIceCandidate candidate) {
    if (!ended) {
      candidates.local(candidate);
    }
  }

  void channelStateChanged() {
    if (ended) {
      return;
    }
    RTCDataChannelState state = chat.state();
    if (state == RTCDataChannelState.OPEN && opened.complete(this)) {
      events.opened(this);
    } else if (state == RTCDataChannelState.CLOSED) {
      end(
          opened.isDone() ? null : new LinkException("the data channel to " + peer + " closed"),
          null);
    }
  }

  void received(String text) {
    if (!ended) {
      chat.received(text, message -> events.message(this, message));
    }
  }

  private void setRemote(RTCSdpType type, LinkSignal.Description description) {
    DtlsFingerprint.verify(
        peerKey, peer, context.self(), id, description.sdp(), description.signature());
    RtcFutures.setRemote(connection, new RTCSessionDescription(type, description.sdp()));
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
