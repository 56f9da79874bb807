package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.parley.protocol.UserName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A link's one data channel. Sends may come from any thread; they and {@link #close} are serialized
 * by this object's lock, so the native channel is never released while a send is using it.
 */
final class DataChannel {
  private final UserName peer;
  private @Nullable RTCDataChannel channel;

  DataChannel(UserName peer) {
    this.peer = peer;
  }

  /** Takes the data channel: ours when offering, the peer's when answering. */
  synchronized void adopt(RTCDataChannel created, ChannelObserver observer) {
    channel = created;
    created.registerObserver(observer);
  }

  synchronized @Nullable RTCDataChannelState state() {
    return channel == null ? null : channel.getState();
  }

  /** Bytes queued in the channel and not yet handed to the network; 0 once closed. */
  synchronized long bufferedAmount() {
    return channel == null ? 0 : channel.getBufferedAmount();
  }

  void sendText(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > PeerLink.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "a data channel message is at most "
              + PeerLink.MAX_MESSAGE_BYTES
              + " bytes; this one is "
              + bytes.length);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    send(buffer, false);
  }

  synchronized void send(ByteBuffer data, boolean binary) {
    RTCDataChannel ch = channel;
    if (ch == null) {
      throw new LinkException("the link to " + peer + " is closed");
    }
    try {
      // No state check first: each call into the channel is a round trip to WebRTC's network
      // thread, and a send on a channel that is not open fails anyway.
      ch.send(new RTCDataChannelBuffer(data, binary));
    } catch (Exception e) {
      throw new LinkException("cannot send to " + peer + ": " + e.getMessage(), e);
    }
  }

  /** Closes and releases the native channel. */
  synchronized void close() {
    RTCDataChannel ch = channel;
    channel = null;
    if (ch != null) {
      ch.unregisterObserver();
      ch.close();
      ch.dispose();
    }
  }
}
