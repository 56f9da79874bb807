package dev.parley.client.link;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.parley.client.loop.EventLoop;
import dev.parley.client.server.Signaling;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.List;

/**
 * What every WebRTC link of one client shares: who we are, the server that relays our signals, the
 * WebRTC factory, the client's event loop on which all links change state, and the table of links.
 */
record LinkContext(
    Signaling server, PeerConnectionFactory factory, EventLoop loop, LinkTable table) {

  UserName self() {
    return server.name();
  }

  /** Whether the server handed us a relay (a TURN URL) to fall back on. */
  boolean relayOffered() {
    return server.iceServers().stream()
        .flatMap(ice -> ice.urls().stream())
        .anyMatch(url -> url.startsWith("turn:") || url.startsWith("turns:"));
  }

  /**
   * The server's ICE servers, and nothing else: Parley never contacts a STUN or TURN server its
   * operator did not configure. With none, only host candidates are gathered.
   */
  RTCConfiguration configuration() {
    List<RTCIceServer> servers = new ArrayList<>();
    for (IceServer server : server.iceServers()) {
      RTCIceServer ice = new RTCIceServer();
      ice.urls = server.urls();
      server.usernameIfAny().ifPresent(username -> ice.username = username);
      server.credentialIfAny().ifPresent(credential -> ice.password = credential);
      servers.add(ice);
    }
    RTCConfiguration configuration = new RTCConfiguration();
    configuration.iceServers = servers;
    return configuration;
  }
}
