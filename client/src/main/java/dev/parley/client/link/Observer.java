package dev.parley.client.link;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.parley.client.loop.EventLoop;

/**
 * WebRTC's callbacks for one link's peer connection. They run on WebRTC's threads, so each only
 * posts the event to the client's event loop; blocking here could deadlock WebRTC.
 */
final class Observer implements PeerConnectionObserver {
  private final WebRtcLink link;
  private final EventLoop loop;

  Observer(WebRtcLink link, EventLoop loop) {
    this.link = link;
    this.loop = loop;
  }

  @Override
  public void onIceCandidate(RTCIceCandidate candidate) {
    loop.post(() -> link.localCandidate(candidate));
  }

  @Override
  public void onDataChannel(RTCDataChannel channel) {
    // Registered here, not on the loop, so that no early message or state change is missed.
    link.adopt(channel);
  }

  @Override
  public void onConnectionChange(RTCPeerConnectionState state) {
    loop.post(() -> link.connectionChanged(state));
  }

  @Override
  public void onIceConnectionChange(RTCIceConnectionState state) {
    loop.post(() -> link.iceChanged(state));
  }

  @Override
  public void onIceGatheringChange(RTCIceGatheringState state) {
    loop.post(() -> link.gatheringChanged(state));
  }

  @Override
  public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
    var error =
        new IceServerError(
            String.valueOf(event.getUrl()),
            event.getErrorCode(),
            String.valueOf(event.getErrorText()));
    loop.post(() -> link.iceServerError(error));
  }
}
