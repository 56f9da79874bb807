package dev.parley.server.metrics;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.SignalKind;
import dev.parley.stun.BindingAnswer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The server's figures. Counters only grow; gauges are read when scraped. Cheap enough for the hot
 * path: a counter is a {@link LongAdder}.
 */
public final class Metrics {
  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder loginsSucceeded = new LongAdder();
  private final LongAdder loginsFailed = new LongAdder();
  private final LongAdder registrations = new LongAdder();
  private final LongAdder presenceFrames = new LongAdder();
  private final LongAdder httpRequests = new LongAdder();
  private final LongAdder httpTimedOut = new LongAdder();
  private final LongAdder socketsRefused = new LongAdder();
  private final LongAdder peerJsRelayed = new LongAdder();
  private final LongAdder peerJsExpired = new LongAdder();
  private final Map<SignalKind, LongAdder> relayed = adders(SignalKind.class);
  private final Map<SignalKind, LongAdder> relayedBytes = adders(SignalKind.class);
  private final Map<ErrorCode, LongAdder> errors = adders(ErrorCode.class);
  private final LongAdder stunAnswered = new LongAdder();
  private final LongAdder stunRateLimited = new LongAdder();
  private final Map<BindingAnswer.Reason, LongAdder> stunDropped =
      adders(BindingAnswer.Reason.class);
  private volatile LongSupplier openConnections = () -> 0;
  private volatile LongSupplier onlineUsers = () -> 0;
  private volatile LongSupplier peerJsClients = () -> 0;
  private volatile @Nullable LongSupplier deploymentUsers;
  private volatile LongSupplier deploymentNodes = () -> 1;
  private volatile LongSupplier watches = () -> 0;
  private volatile LongSupplier directoryFull = () -> 0;

  public void connectionOpened() {
    connectionsOpened.increment();
  }

  public void loginSucceeded(boolean newUser) {
    loginsSucceeded.increment();
    if (newUser) {
      registrations.increment();
    }
  }

  public void loginFailed() {
    loginsFailed.increment();
  }

  public void relayed(SignalKind kind, int bytes) {
    relayed.get(kind).increment();
    relayedBytes.get(kind).add(bytes);
  }

  public void error(ErrorCode code) {
    errors.get(code).increment();
  }

  public void presenceFramesSent(int count) {
    presenceFrames.add(count);
  }

  /** An HTTP connection was closed because its request, or its next one, did not come in time. */
  public void httpTimedOut() {
    httpTimedOut.increment();
  }

  /** A TCP connection was closed at once: its address had as many open as it may. */
  public void socketRefused() {
    socketsRefused.increment();
  }

  public void httpRequest() {
    httpRequests.increment();
  }

  public void peerJsRelayed() {
    peerJsRelayed.increment();
  }

  public void peerJsExpired() {
    peerJsExpired.increment();
  }

  public void stunAnswered() {
    stunAnswered.increment();
  }

  public void stunDropped(BindingAnswer.Reason reason) {
    stunDropped.get(reason).increment();
  }

  public void stunRateLimited() {
    stunRateLimited.increment();
  }

  public long stunAnsweredTotal() {
    return stunAnswered.sum();
  }

  public long stunDroppedTotal(BindingAnswer.Reason reason) {
    return stunDropped.get(reason).sum();
  }

  public long stunRateLimitedTotal() {
    return stunRateLimited.sum();
  }

  /** Where the number of watched names comes from: summed over this node's connections. */
  public void watchesGauge(LongSupplier watched) {
    this.watches = watched;
  }

  /** Where it comes from whether the directory's disk is full: 1 if so, else 0. */
  public void directoryFullGauge(LongSupplier full) {
    this.directoryFull = full;
  }

  public void peerJsGauge(LongSupplier clients) {
    this.peerJsClients = clients;
  }

  /** One node of several: the deployment's users and nodes as this node sees them. */
  public void deploymentGauges(LongSupplier users, LongSupplier nodes) {
    this.deploymentUsers = users;
    this.deploymentNodes = nodes;
  }

  public long peerJsRelayedTotal() {
    return peerJsRelayed.sum();
  }

  public void gauges(LongSupplier openConnections, LongSupplier onlineUsers) {
    this.openConnections = openConnections;
    this.onlineUsers = onlineUsers;
  }

  public long relayedTotal() {
    return relayed.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long relayedBytesTotal() {
    return relayedBytes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long errors(ErrorCode code) {
    return errors.get(code).sum();
  }

  /** All figures in the Prometheus text exposition format, version 0.0.4. */
  public String prometheusText() {
    StringBuilder out = new StringBuilder(2048);
    gauge(out, "parley_connections", "Open WebSocket connections.", openConnections.getAsLong());
    gauge(out, "parley_online_users", "Users logged in on this node.", onlineUsers.getAsLong());
    LongSupplier deployment = deploymentUsers;
    if (deployment != null) {
      gauge(
          out,
          "parley_deployment_online_users",
          "Users logged in on every node of the deployment, as this node knows.",
          deployment.getAsLong());
      gauge(
          out,
          "parley_deployment_nodes",
          "Nodes of the deployment this node sees alive (0 while Redis cannot be reached).",
          deploymentNodes.getAsLong());
    }
    counter(
        out,
        "parley_connections_opened_total",
        "WebSocket connections accepted.",
        connectionsOpened.sum());
    header(out, "parley_logins_total", "Login attempts by result.", "counter");
    out.append("parley_logins_total{result=\"ok\"} ").append(loginsSucceeded.sum()).append('\n');
    out.append("parley_logins_total{result=\"failed\"} ").append(loginsFailed.sum()).append('\n');
    counter(
        out,
        "parley_registrations_total",
        "Names registered for the first time.",
        registrations.sum());
    labelled(
        out,
        "parley_signals_relayed_total",
        "Signaling messages relayed, by kind.",
        "kind",
        relayed);
    labelled(
        out,
        "parley_signal_bytes_relayed_total",
        "Bytes of relayed signaling, by kind.",
        "kind",
        relayedBytes);
    labelled(out, "parley_errors_total", "Error frames sent to clients, by code.", "code", errors);
    counter(
        out,
        "parley_presence_frames_total",
        "Presence frames sent (one per recipient).",
        presenceFrames.sum());
    gauge(
        out,
        "parley_watches",
        "Names watched, summed over this node's connections (contacts mode).",
        watches.getAsLong());
    gauge(
        out,
        "parley_directory_full",
        "1 while the directory's last write failed for want of disk space: new names are refused.",
        directoryFull.getAsLong());
    counter(out, "parley_http_requests_total", "Plain HTTP requests served.", httpRequests.sum());
    counter(
        out,
        "parley_http_timeouts_total",
        "HTTP connections closed because a request, or the next one, did not come in time.",
        httpTimedOut.sum());
    counter(
        out,
        "parley_sockets_refused_total",
        "TCP connections closed at once because their address had as many open as it may.",
        socketsRefused.sum());
    gauge(out, "parley_peerjs_clients", "Connected PeerJS clients.", peerJsClients.getAsLong());
    counter(
        out,
        "parley_peerjs_messages_relayed_total",
        "PeerJS messages delivered to their destination.",
        peerJsRelayed.sum());
    counter(
        out,
        "parley_peerjs_expired_total",
        "EXPIRE messages sent for PeerJS messages that found nobody.",
        peerJsExpired.sum());
    counter(
        out, "parley_stun_answered_total", "STUN Binding requests answered.", stunAnswered.sum());
    labelled(
        out,
        "parley_stun_dropped_total",
        "STUN datagrams dropped unanswered, by reason.",
        "reason",
        stunDropped);
    counter(
        out,
        "parley_stun_rate_limited_total",
        "STUN datagrams dropped because their address sent too many.",
        stunRateLimited.sum());
    return out.toString();
  }

  private static <K extends Enum<K>> Map<K, LongAdder> adders(Class<K> keys) {
    Map<K, LongAdder> map = new EnumMap<>(keys);
    for (K key : keys.getEnumConstants()) {
      map.put(key, new LongAdder());
    }
    return map;
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    header(out, name, help, "gauge");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    header(out, name, help, "counter");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static <K extends Enum<K>> void labelled(
      StringBuilder out, String name, String help, String label, Map<K, LongAdder> values) {
    header(out, name, help, "counter");
    values.forEach(
        (key, value) ->
            out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(key.name().toLowerCase(Locale.ROOT))
                .append("\"} ")
                .append(value.sum())
                .append('\n'));
  }
}
