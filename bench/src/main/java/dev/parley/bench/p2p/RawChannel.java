package dev.parley.bench.p2p;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.parley.client.link.WebRtc;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * webrtc-java alone: two peer connections in this process, each with an engine of its own as two
 * clients have, joined by handing descriptions and candidates across directly (no server, no event
 * loop, no JSON). The receiver only counts, on WebRTC's callback thread; the sender sends from one
 * thread of its own. What the library and libwebrtc carry with nothing of Parley's around them.
 */
final class RawChannel implements AutoCloseable {
  private static final long TIMEOUT_S = 120;

  private final WebRtc engineA = WebRtc.start();
  private final WebRtc engineB = WebRtc.start();
  // Candidates are handed over off WebRTC's threads: each side's call blocks on the other's.
  private final ExecutorService relay = Executors.newSingleThreadExecutor();
  private final RTCPeerConnection a;
  private final RTCPeerConnection b;
  private final RTCDataChannel sending;
  private final CompletableFuture<RTCDataChannel> received = new CompletableFuture<>();
  private final CompletableFuture<Void> open = new CompletableFuture<>();
  final AtomicLong messages = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();

  /** How often the sender's channel reported a change of its buffered amount. */
  final AtomicLong bufferedAmountEvents = new AtomicLong();

  RawChannel() throws Exception {
    a = engineA.factory().createPeerConnection(new RTCConfiguration(), new Side(true));
    b = engineB.factory().createPeerConnection(new RTCConfiguration(), new Side(false));
    sending = a.createDataChannel("raw", new RTCDataChannelInit());
    sending.registerObserver(
        new RTCDataChannelObserver() {
          @Override
          public void onBufferedAmountChange(long previousAmount) {
            bufferedAmountEvents.incrementAndGet();
          }

          @Override
          public void onStateChange() {
            if (sending.getState() == RTCDataChannelState.OPEN) {
              open.complete(null);
            }
          }

          @Override
          public void onMessage(RTCDataChannelBuffer buffer) {}
        });
    RTCSessionDescription offer = create(a, true);
    set(a, offer, true);
    set(b, offer, false);
    RTCSessionDescription answer = create(b, false);
    set(b, answer, true);
    set(a, answer, false);
    open.get(TIMEOUT_S, TimeUnit.SECONDS);
    received.get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** Messages per second: {@code count} messages of {@code size} bytes, one way. */
  double messagesPerSecond(int count, int size, long highWater) throws Exception {
    long before = messages.get();
    long start = System.nanoTime();
    ByteBuffer message = ByteBuffer.allocateDirect(size); // sent whole, copied by the send
    for (int i = 0; i < count; i++) {
      sending.send(new RTCDataChannelBuffer(message, false));
      while (i % 64 == 63 && sending.getBufferedAmount() > highWater) {
        LockSupport.parkNanos(100_000);
      }
    }
    waitFor(messages, before + count);
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * MB/s carrying {@code total} bytes in {@code chunk}-byte binary messages; after each message the
   * sender asks the buffered amount and, above {@code highWater}, waits (asking every 0.5 ms) until
   * it is down to {@code lowWater}.
   */
  double throughput(long total, int chunk, long highWater, long lowWater) throws Exception {
    long before = bytes.get();
    long start = System.nanoTime();
    ByteBuffer message = ByteBuffer.allocateDirect(chunk);
    for (long sent = 0; sent < total; sent += chunk) {
      sending.send(new RTCDataChannelBuffer(message, true));
      if (sending.getBufferedAmount() > highWater) {
        while (sending.getBufferedAmount() > lowWater) {
          LockSupport.parkNanos(500_000);
        }
      }
    }
    waitFor(bytes, before + total);
    return total / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  private static void waitFor(AtomicLong counter, long target) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (counter.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out: " + counter.get() + " of " + target);
      }
      LockSupport.parkNanos(100_000);
    }
  }

  private static RTCSessionDescription create(RTCPeerConnection pc, boolean offer)
      throws Exception {
    CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
    CreateSessionDescriptionObserver observer =
        new CreateSessionDescriptionObserver() {
          @Override
          public void onSuccess(RTCSessionDescription description) {
            result.complete(description);
          }

          @Override
          public void onFailure(String error) {
            result.completeExceptionally(new IllegalStateException(error));
          }
        };
    if (offer) {
      pc.createOffer(new RTCOfferOptions(), observer);
    } else {
      pc.createAnswer(new RTCAnswerOptions(), observer);
    }
    return result.get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  private static void set(RTCPeerConnection pc, RTCSessionDescription description, boolean local)
      throws Exception {
    CompletableFuture<Void> result = new CompletableFuture<>();
    SetSessionDescriptionObserver observer =
        new SetSessionDescriptionObserver() {
          @Override
          public void onSuccess() {
            result.complete(null);
          }

          @Override
          public void onFailure(String error) {
            result.completeExceptionally(new IllegalStateException(error));
          }
        };
    if (local) {
      pc.setLocalDescription(description, observer);
    } else {
      pc.setRemoteDescription(description, observer);
    }
    result.get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  private final class Side implements PeerConnectionObserver {
    private final boolean offering;

    Side(boolean offering) {
      this.offering = offering;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      relay.execute(() -> (offering ? b : a).addIceCandidate(candidate));
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
      channel.registerObserver(
          new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {}

            @Override
            public void onStateChange() {}

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
              bytes.addAndGet(buffer.data.remaining());
              messages.incrementAndGet();
            }
          });
      received.complete(channel);
    }
  }

  @Override
  public void close() {
    sending.unregisterObserver();
    sending.close();
    sending.dispose();
    RTCDataChannel other = received.getNow(null);
    if (other != null) {
      other.unregisterObserver();
      other.close();
      other.dispose();
    }
    a.close();
    b.close();
    relay.shutdown();
    engineA.close();
    engineB.close();
  }
}
