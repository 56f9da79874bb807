package dev.parley.client.link;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;

/**
 * WebRTC's callbacks for one link's peer connection. They run on WebRTC's threads, so each only
 * hands the event to the link thread; blocking here could deadlock WebRTC.
 */
final class Observer implements PeerConnectionObserver {
  private final PeerLink link;
  private final LinkContext context;

  Observer(PeerLink link, LinkContext context) {
    this.link = link;
    this.context = context;
  }

  @Override
  public void onIceCandidate(RTCIceCandidate candidate) {
    context.run(() -> link.localCandidate(candidate));
  }

  @Override
  public void onDataChannel(RTCDataChannel channel) {
    // Registered here, not on the link thread, so that no early message or state change is missed.
    link.adopt(channel);
  }

  @Override
  public void onConnectionChange(RTCPeerConnectionState state) {
    context.run(() -> link.connectionChanged(state));
  }

  @Override
  public void onIceConnectionChange(RTCIceConnectionState state) {
    context.run(() -> link.iceChanged(state));
  }

  @Override
  public void onIceGatheringChange(RTCIceGatheringState state) {
    context.run(() -> link.gatheringChanged(state));
  }

  @Override
  public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
    var error =
        new IceServerError(
            String.valueOf(event.getUrl()),
            event.getErrorCode(),
            String.valueOf(event.getErrorText()));
    context.run(() -> link.iceServerError(error));
  }
}
