package dev.parley.client.link;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

/**
 * The native WebRTC engine of one client: a peer connection factory and its audio device. Close it
 * last, after every peer connection made with it: its threads keep the JVM alive until then.
 */
public final class WebRtc implements AutoCloseable {
  private final HeadlessAudioDeviceModule audio;
  private final PeerConnectionFactory factory;
  private boolean closed;

  private WebRtc(HeadlessAudioDeviceModule audio, PeerConnectionFactory factory) {
    this.audio = audio;
    this.factory = factory;
  }

  /**
   * Starts the engine. Parley links carry data only, and the default audio device aborts the JVM on
   * a machine without sound, so the factory gets a headless one.
   */
  public static WebRtc start() {
    try {
      HeadlessAudioDeviceModule audio = new HeadlessAudioDeviceModule();
      return new WebRtc(audio, new PeerConnectionFactory(audio));
    } catch (LinkageError e) {
      throw new WebRtcUnavailableException(e);
    }
  }

  public PeerConnectionFactory factory() {
    return factory;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      factory.dispose();
      audio.dispose();
    }
  }
}
