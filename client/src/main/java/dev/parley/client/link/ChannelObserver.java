package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * WebRTC's callbacks for a link's data channel; like {@link Observer}, each hands the event to the
 * link thread. A message's buffer is only valid during the callback, so it is copied here.
 */
final class ChannelObserver implements RTCDataChannelObserver {
  private final PeerLink link;
  private final LinkContext context;

  ChannelObserver(PeerLink link, LinkContext context) {
    this.link = link;
    this.context = context;
  }

  @Override
  public void onBufferedAmountChange(long previousAmount) {
    link.bufferedAmountChanged();
  }

  @Override
  public void onStateChange() {
    context.run(link::channelStateChanged);
  }

  @Override
  public void onMessage(RTCDataChannelBuffer buffer) {
    byte[] bytes = new byte[buffer.data.remaining()];
    buffer.data.get(bytes);
    if (buffer.binary) {
      context.run(() -> link.receivedBinary(ByteBuffer.wrap(bytes)));
    } else {
      String text = new String(bytes, StandardCharsets.UTF_8);
      context.run(() -> link.received(text));
    }
  }
}
