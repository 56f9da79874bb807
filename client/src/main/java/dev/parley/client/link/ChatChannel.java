package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.parley.protocol.UserName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's data channel: chat messages out and in, each acknowledged end to end, and the native
 * channel's release. Used on the link thread, except {@link #adopt} (from a WebRTC callback).
 */
final class ChatChannel {
  private static final Logger log = LoggerFactory.getLogger(ChatChannel.class);

  private final UserName peer;
  private final Map<String, CompletableFuture<Void>> awaitingAck = new ConcurrentHashMap<>();
  private volatile @Nullable RTCDataChannel channel;

  ChatChannel(UserName peer) {
    this.peer = peer;
  }

  /** Takes the data channel: ours when offering, the peer's when answering. */
  void adopt(RTCDataChannel created, ChannelObserver observer) {
    channel = created;
    created.registerObserver(observer);
  }

  @Nullable RTCDataChannelState state() {
    RTCDataChannel ch = channel;
    return ch == null ? null : ch.getState();
  }

  /** A chat message to send, encoded, and the future its acknowledgement completes. */
  static final class Outgoing {
    private final String id;
    private final byte[] bytes;
    private final CompletableFuture<Void> acked = new CompletableFuture<>();

    Outgoing(String id, byte[] bytes) {
      this.id = id;
      this.bytes = bytes;
    }

    CompletableFuture<Void> acked() {
      return acked;
    }
  }

  /** Prepares {@code text} for {@link #transmit}; safe from any thread. */
  Outgoing prepare(String text) {
    var chat =
        new ChannelMessage.Chat(UUID.randomUUID().toString(), System.currentTimeMillis(), text);
    byte[] bytes = chat.encode().getBytes(StandardCharsets.UTF_8);
    if (bytes.length > PeerLink.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "a message is at most "
              + PeerLink.MAX_MESSAGE_BYTES
              + " bytes encoded; this is "
              + bytes.length);
    }
    var outgoing = new Outgoing(chat.id(), bytes);
    awaitingAck.put(chat.id(), outgoing.acked);
    return outgoing;
  }

  void transmit(Outgoing outgoing) {
    try {
      send(outgoing.bytes);
    } catch (LinkException e) {
      awaitingAck.remove(outgoing.id);
      outgoing.acked.completeExceptionally(e);
    }
  }

  /** Handles a message from the peer: acknowledges a chat message and hands it to {@code chat}. */
  void received(String text, Consumer<ChannelMessage.Chat> chat) {
    try {
      switch (ChannelMessage.decode(text).orElse(null)) {
        case ChannelMessage.Chat message -> {
          send(new ChannelMessage.Ack(message.id()).encode().getBytes(StandardCharsets.UTF_8));
          chat.accept(message);
        }
        case ChannelMessage.Ack ack -> {
          CompletableFuture<Void> acked = awaitingAck.remove(ack.id());
          if (acked != null) {
            acked.complete(null);
          }
        }
        case null -> log.debug("skipping a data channel message of a type we do not know");
      }
    } catch (IllegalArgumentException e) {
      log.warn("ignoring a malformed message from {}: {}", peer, e.getMessage());
    } catch (LinkException e) {
      log.debug("could not acknowledge a message from {}: {}", peer, e.getMessage());
    }
  }

  /**
   * Closes and releases the native channel; messages not yet acknowledged fail with {@code why}.
   */
  void close(LinkException why) {
    RTCDataChannel ch = channel;
    channel = null;
    if (ch != null) {
      ch.unregisterObserver();
      ch.close();
      ch.dispose();
    }
    awaitingAck.values().forEach(acked -> acked.completeExceptionally(why));
    awaitingAck.clear();
  }

  private void send(byte[] bytes) {
    RTCDataChannel ch = channel;
    if (ch == null) {
      throw new LinkException("the link to " + peer + " is closed");
    }
    if (ch.getState() != RTCDataChannelState.OPEN) {
      throw new LinkException("the link to " + peer + " is not open yet");
    }
    try {
      ch.send(new RTCDataChannelBuffer(ByteBuffer.wrap(bytes), false));
    } catch (Exception e) {
      throw new LinkException("cannot send to " + peer + ": " + e.getMessage(), e);
    }
  }
}
