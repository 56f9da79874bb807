package dev.parley.client.link;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * webrtc-java's callback-style offer/answer steps as blocking calls with a deadline. The callbacks
 * run on WebRTC's own signaling thread, so these MUST NOT be called from a WebRTC callback.
 */
final class RtcFutures {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

  private RtcFutures() {}

  static RTCSessionDescription createOffer(RTCPeerConnection pc) {
    CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
    pc.createOffer(new RTCOfferOptions(), created(result));
    return await(result, "create an offer");
  }

  static RTCSessionDescription createAnswer(RTCPeerConnection pc) {
    CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
    pc.createAnswer(new RTCAnswerOptions(), created(result));
    return await(result, "create an answer");
  }

  static void setLocal(RTCPeerConnection pc, RTCSessionDescription description) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    pc.setLocalDescription(description, set(result));
    await(result, "set the local description");
  }

  static void setRemote(RTCPeerConnection pc, RTCSessionDescription description) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    pc.setRemoteDescription(description, set(result));
    await(result, "set the remote description");
  }

  private static CreateSessionDescriptionObserver created(
      CompletableFuture<RTCSessionDescription> result) {
    return new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription description) {
        result.complete(description);
      }

      @Override
      public void onFailure(String error) {
        result.completeExceptionally(new LinkException(error));
      }
    };
  }

  private static SetSessionDescriptionObserver set(CompletableFuture<Void> result) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        result.complete(null);
      }

      @Override
      public void onFailure(String error) {
        result.completeExceptionally(new LinkException(error));
      }
    };
  }

  private static <T> T await(CompletableFuture<T> result, String step) {
    try {
      return result.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new LinkException("WebRTC could not " + step + ": " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new LinkException(
          "WebRTC did not " + step + " within " + STEP_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkException("interrupted while waiting to " + step, e);
    }
  }
}
