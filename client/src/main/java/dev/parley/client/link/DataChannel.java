package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.parley.protocol.UserName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A link's one data channel. Sends may come from any thread; they and {@link #close} are serialized
 * by this object's lock, so the native channel is never released while a send is using it.
 *
 * <p>Each send is a round trip to WebRTC's network thread and an SCTP message of its own, whatever
 * its size; so text for a peer that reads batches is {@linkplain #sendOrGather gathered} after a
 * first message and {@linkplain #flushQueued sent} as few messages as fit (docs/p2p.md, "Hello and
 * batches"). What is queued always goes before anything sent after it.
 */
final class DataChannel {
  private final UserName peer;
  private @Nullable RTCDataChannel channel;
  private @Nullable ByteBuffer scratch;
  // The buffered amount when last asked, and the bytes sent since: an upper bound of it now.
  private long asked;
  private long sentSinceAsked;
  // Text queued for a batch, in order, and its size in UTF-8.
  private final List<byte[]> queued = new ArrayList<>();
  private long queuedBytes;
  // A message went out at once and what follows is gathered until the next flush.
  private boolean gathering;
  // Data channel messages sent, each a round trip to the network thread and an SCTP message.
  private long sends;

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

  /**
   * Bytes queued in the channel and not yet handed to the network, with the text queued for a
   * batch; 0 once closed.
   */
  synchronized long bufferedAmount() {
    asked = channel == null ? 0 : channel.getBufferedAmount();
    sentSinceAsked = 0;
    return asked + queuedBytes;
  }

  /** Sends {@code text} as one message now, after what is queued. */
  void sendText(String text) {
    byte[] bytes = utf8(text);
    synchronized (this) {
      flushQueued();
      sendBytes(bytes);
    }
  }

  /**
   * Sends {@code text} at once if nothing is being gathered, and from then on gathers what comes
   * until the next {@link #flushQueued}: so a lone message waits for nothing, and those that follow
   * it go together. Returns whether this call started a gathering (the caller then arranges a
   * flush).
   *
   * @throws LinkException if the channel is closed
   */
  boolean sendOrGather(String text) {
    byte[] bytes = utf8(text);
    synchronized (this) {
      if (!gathering) {
        sendBytes(bytes);
        gathering = true;
        return true;
      }
      if (channel == null) {
        throw new LinkException("the link to " + peer + " is closed");
      }
      queued.add(bytes);
      queuedBytes += bytes.length;
      return false;
    }
  }

  /**
   * Sends what is queued: as batches of up to {@link ChannelMessage#MAX_BATCH} messages that fit
   * the channel's scratch buffer ({@link FileChunk#MAX_ENCODED} bytes), and a message that fits no
   * batch with another as itself.
   *
   * @throws LinkException if the channel is closed (what was queued is dropped)
   */
  synchronized void flushQueued() {
    int from = 0;
    try {
      while (from < queued.size()) {
        int to = from;
        long size = 1; // '['
        while (to < queued.size()
            && to - from < ChannelMessage.MAX_BATCH
            && size + queued.get(to).length + 1 <= FileChunk.MAX_ENCODED) {
          size += queued.get(to).length + 1; // ',' or ']'
          to++;
        }
        if (to - from <= 1) {
          sendBytes(queued.get(from));
          from++;
          continue;
        }
        ByteBuffer batch = scratch().clear().put((byte) '[');
        for (int i = from; i < to; i++) {
          batch.put(queued.get(i)).put(i + 1 < to ? (byte) ',' : (byte) ']');
        }
        send(batch.flip(), false);
        from = to;
      }
    } finally {
      dropQueued();
    }
  }

  /** Empties the queue and ends the gathering: flushed, or the channel closed. */
  private void dropQueued() {
    queued.clear();
    queuedBytes = 0;
    gathering = false;
  }

  private static byte[] utf8(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > PeerLink.MAX_MESSAGE_BYTES - 2) { // room for a batch's brackets
      throw new IllegalArgumentException(
          "a data channel message is at most "
              + (PeerLink.MAX_MESSAGE_BYTES - 2)
              + " bytes; this one is "
              + bytes.length);
    }
    return bytes;
  }

  private void sendBytes(byte[] bytes) {
    send(buffer(bytes.length).put(bytes).flip(), false);
  }

  /** The channel's scratch buffer if {@code size} fits it, a buffer of its own otherwise. */
  private ByteBuffer buffer(int size) {
    return size > FileChunk.MAX_ENCODED ? ByteBuffer.allocateDirect(size) : scratch().clear();
  }

  /**
   * Sends {@code length} bytes of file {@code file} from {@code data}, as one binary message, and
   * returns whether the channel's buffered amount is at most {@code highWater} now. The channel is
   * asked only when what it held when last asked, plus all sent since, could be above: each
   * question is a round trip to WebRTC's network thread, and the buffer only shrinks meanwhile.
   */
  synchronized boolean sendChunk(UUID file, byte[] data, int offset, int length, long highWater) {
    flushQueued();
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
      sends++;
    } catch (Exception e) {
      throw new LinkException("cannot send to " + peer + ": " + e.getMessage(), e);
    }
  }

  /** How many data channel messages were sent: batches count once. */
  synchronized long sends() {
    return sends;
  }

  /** Closes and releases the native channel. */
  synchronized void close() {
    RTCDataChannel ch = channel;
    channel = null;
    dropQueued();
    if (ch != null) {
      ch.unregisterObserver();
      ch.close();
      ch.dispose();
    }
  }
}
