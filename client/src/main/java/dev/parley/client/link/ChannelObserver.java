package dev.parley.client.link;

import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.parley.client.loop.EventLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * WebRTC's callbacks for a link's data channel; like {@link Observer}, each posts the event to the
 * client's event loop. A message's buffer is only valid during the callback, so it is copied here.
 */
final class ChannelObserver implements RTCDataChannelObserver {
  private final WebRtcLink link;
  private final EventLoop loop;

  ChannelObserver(WebRtcLink link, EventLoop loop) {
    this.link = link;
    this.loop = loop;
  }

  @Override
  public void onBufferedAmountChange(long previousAmount) {
    link.bufferedAmountChanged();
  }

  @Override
  public void onStateChange() {
    loop.post(link::channelStateChanged);
  }

  @Override
  public void onMessage(RTCDataChannelBuffer buffer) {
    byte[] bytes = new byte[buffer.data.remaining()];
    buffer.data.get(bytes);
    if (buffer.binary) {
      loop.post(() -> link.receivedBinary(ByteBuffer.wrap(bytes)));
    } else {
      String text = new String(bytes, StandardCharsets.UTF_8);
      loop.post(() -> link.receivedText(text));
    }
  }
}
