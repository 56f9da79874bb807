package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.parley.protocol.UserName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A link's one data channel. Sends may come from any thread; they and {@link #close} are serialized
 * by this object's lock, so the native channel is never released while a send is using it.
 */
final class DataChannel {
  private final UserName peer;
  private @Nullable RTCDataChannel channel;
  private @Nullable ByteBuffer scratch;
  // The buffered amount when last asked, and the bytes sent since: an upper bound of it now.
  private long asked;
  private long sentSinceAsked;

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
    asked = channel == null ? 0 : channel.getBufferedAmount();
    sentSinceAsked = 0;
    return asked;
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
    synchronized (this) {
      if (bytes.length > FileChunk.MAX_ENCODED) {
        send(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(), false);
      } else {
        send(scratch().clear().put(bytes).flip(), false);
      }
    }
  }

  /**
   * Sends {@code length} bytes of file {@code file} from {@code data}, as one binary message, and
   * returns whether the channel's buffered amount is at most {@code highWater} now. The channel is
   * asked only when what it held when last asked, plus all sent since, could be above: each
   * question is a round trip to WebRTC's network thread, and the buffer only shrinks meanwhile.
   */
  synchronized boolean sendChunk(UUID file, byte[] data, int offset, int length, long highWater) {
    send(FileChunk.write(scratch(), file, data, offset, length), true);
    return asked + sentSinceAsked <= highWater || bufferedAmount() <= highWater;
  }

  /**
   * The buffer every message up to {@link FileChunk#MAX_ENCODED} bytes is written into before it is
   * handed to WebRTC, which copies it before the send returns: one allocation per channel, not one
   * (zeroed, and freed only by the garbage collector) per message.
   */
  private ByteBuffer scratch() {
    ByteBuffer buffer = scratch;
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(FileChunk.MAX_ENCODED);
      scratch = buffer;
    }
    return buffer;
  }

  /**
   * Sends {@code data}'s bytes from its position to its limit. webrtc-java sends a direct buffer's
   * whole capacity, so it is given a slice of exactly those bytes.
   */
  private void send(ByteBuffer data, boolean binary) {
    RTCDataChannel ch = channel;
    if (ch == null) {
      throw new LinkException("the link to " + peer + " is closed");
    }
    try {
      // No state check first: each call into the channel is a round trip to WebRTC's network
      // thread, and a send on a channel that is not open fails anyway.
      int size = data.remaining();
      ch.send(new RTCDataChannelBuffer(data.slice(), binary));
      sentSinceAsked += size;
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
