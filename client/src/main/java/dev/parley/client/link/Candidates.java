package dev.parley.client.link;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.List;

/**
 * Trickles one link's ICE candidates through the server, in both directions, in the right order:
 * ours go out only after our offer or answer (the peer cannot use them before it), and the peer's
 * wait until its description is set. Used on the client's event loop only.
 */
final class Candidates {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Candidates.class);

  private final LinkContext context;
  private final UserName peer;
  private final String link;
  private final List<LinkSignal.Candidate> outgoing = new ArrayList<>();
  private final List<RTCIceCandidate> incoming = new ArrayList<>();
  private boolean descriptionSent;
  private boolean remoteDescriptionSet;

  Candidates(LinkContext context, UserName peer, String link) {
    this.context = context;
    this.peer = peer;
    this.link = link;
  }

  /** One of ours, from WebRTC. */
  void local(RTCIceCandidate candidate) {
    var signal =
        new LinkSignal.Candidate(
            link,
            candidate.sdp,
            candidate.sdpMid == null ? "" : candidate.sdpMid,
            candidate.sdpMLineIndex);
    if (descriptionSent) {
      send(signal);
    } else {
      outgoing.add(signal);
    }
  }

  void descriptionSent() {
    descriptionSent = true;
    outgoing.forEach(this::send);
    outgoing.clear();
  }

  /**
   * One of the peer's. Dropped: an empty candidate ("no more candidates"), which webrtc-java cannot
   * take (its {@code addIceCandidate} throws an {@link Error}), and a browser's {@code .local}
   * (mDNS) host name, which it cannot resolve; our own candidates still let the browser reach us.
   */
  void remote(RTCPeerConnection connection, LinkSignal.Candidate signal) {
    if (signal.candidate().isBlank() || isMdns(signal.candidate())) {
      return;
    }
    var candidate =
        new RTCIceCandidate(signal.sdpMid(), signal.sdpMLineIndex(), signal.candidate());
    if (remoteDescriptionSet) {
      add(connection, candidate);
    } else {
      incoming.add(candidate);
    }
  }

  void remoteDescriptionSet(RTCPeerConnection connection) {
    remoteDescriptionSet = true;
    incoming.forEach(candidate -> add(connection, candidate));
    incoming.clear();
  }

  /** Whether the candidate line's address (its fifth field) is an mDNS name. */
  static boolean isMdns(String line) {
    String[] fields = line.strip().split("\\s+", -1);
    return fields.length > 4 && fields[4].toLowerCase(java.util.Locale.ROOT).endsWith(".local");
  }

  /** webrtc-java reports a candidate it cannot parse with an {@link Error}: skip that one. */
  @SuppressWarnings("CatchingUnchecked")
  private void add(RTCPeerConnection connection, RTCIceCandidate candidate) {
    try {
      connection.addIceCandidate(candidate);
    } catch (Error e) {
      log.warn("skipping a candidate from {} that WebRTC refused: {}", peer, candidate.sdp);
    }
  }

  private void send(LinkSignal.Candidate signal) {
    context.server().signal(SignalKind.CANDIDATE, peer, signal.toJson());
  }
}
