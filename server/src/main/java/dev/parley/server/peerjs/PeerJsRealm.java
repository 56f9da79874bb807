package dev.parley.server.peerjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.connection.Connection;
import dev.parley.server.connection.Endpoint;
import dev.parley.server.limits.AddressLimit;
import dev.parley.server.metrics.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PeerJS clients connected to this server and the messages waiting for those that are not. The
 * rules of the PeerServer protocol live here; the transport only hands over connections and frames.
 *
 * <p>Costs: a relay is two map look-ups; nothing scans the clients except the discovery list; the
 * expiry sweep walks only the queues of messages for absent peers.
 */
public final class PeerJsRealm implements AutoCloseable, PeerJsCluster.Listener {
  private static final Logger log = LoggerFactory.getLogger(PeerJsRealm.class);

  /** The ids the PeerJS client itself accepts, bounded in length. */
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*");

  private static final int MAX_ID_LENGTH = 64;
  private static final int MAX_TOKEN_LENGTH = 64;
  static final ObjectMapper JSON = new ObjectMapper();

  private final PeerJsConfig config;
  private final AddressLimit addressLimit;
  private final Metrics metrics;
  private final double messagesPerSecond;
  private final int messageBurst;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, PeerSocket> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PendingQueue> pending = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> sweeper;
  private final PeerJsCluster cluster;

  public PeerJsRealm(
      PeerJsConfig config,
      AddressLimit addressLimit,
      Metrics metrics,
      double messagesPerSecond,
      int messageBurst,
      ScheduledExecutorService timers) {
    this(
        config, addressLimit, metrics, messagesPerSecond, messageBurst, timers, PeerJsCluster.NONE);
  }

  /** One node of several: {@code cluster} tells of the others' ids, and is started here. */
  public PeerJsRealm(
      PeerJsConfig config,
      AddressLimit addressLimit,
      Metrics metrics,
      double messagesPerSecond,
      int messageBurst,
      ScheduledExecutorService timers,
      PeerJsCluster cluster) {
    this.config = config;
    this.cluster = cluster;
    this.addressLimit = addressLimit;
    this.metrics = metrics;
    this.messagesPerSecond = messagesPerSecond;
    this.messageBurst = messageBurst;
    this.clock = System::nanoTime;
    long sweep = Math.max(50, Math.min(1000, config.expireTimeout().toMillis() / 5));
    this.sweeper = timers.scheduleWithFixedDelay(this::expire, sweep, sweep, TimeUnit.MILLISECONDS);
    metrics.peerJsGauge(clients::size);
    cluster.start(this);
  }

  public PeerJsConfig config() {
    return config;
  }

  /**
   * A WebSocket was opened with these query parameters. Answers OPEN and returns the endpoint for
   * its frames, or answers ERROR or ID-TAKEN, closes it and returns empty.
   */
  public Optional<Endpoint> connect(Map<String, String> query, Connection connection) {
    String id = query.getOrDefault("id", "");
    String token = query.getOrDefault("token", "");
    String key = query.getOrDefault("key", "");
    if (id.isEmpty() || token.isEmpty() || key.isEmpty()) {
      return refuse(connection, "ERROR", "No id, token, or key supplied to websocket server", 1008);
    }
    if (!key.equals(config.key())) {
      return refuse(connection, "ERROR", "Invalid key provided", 1008);
    }
    if (id.length() > MAX_ID_LENGTH
        || !VALID_ID.matcher(id).matches()
        || token.length() > MAX_TOKEN_LENGTH) {
      return refuse(
          connection,
          "ERROR",
          "Invalid id or token: an id is letters and digits, optionally joined by single spaces,"
              + " '_' or '-', at most 64 characters",
          1008);
    }
    if (!addressLimit.tryAcquire(connection.remoteAddress())) {
      return refuse(
          connection,
          "ERROR",
          "Too many connections from your address (at most " + addressLimit.max() + ")",
          1013);
    }
    PeerSocket socket = new PeerSocket(id, token, connection);
    Admission admission = admit(socket);
    switch (admission.outcome()) {
      case TAKEN -> {
        addressLimit.release(connection.remoteAddress());
        return refuse(connection, "ID-TAKEN", "ID is taken", 1008);
      }
      case FULL -> {
        addressLimit.release(connection.remoteAddress());
        return refuse(connection, "ERROR", "Server has reached its concurrent user limit", 1013);
      }
      case REPLACED -> {
        // The stock server sends nothing here and leaves the client waiting; Parley says OPEN.
        admission.replaced().ifPresent(old -> old.connection.close(1000, "replaced"));
        log.info("PeerJS client {} reconnected from {}", id, connection.remoteAddress());
        open(socket);
        return Optional.of(socket);
      }
      case NEW -> log.debug("PeerJS client {} connected from {}", id, connection.remoteAddress());
    }
    // New here: the id may be held on another node. One node alone answers at once.
    var unused =
        cluster
            .claim(id, token)
            .thenAccept(
                claim -> {
                  if (claim == PeerJsCluster.Claim.TAKEN) {
                    clients.remove(id, socket); // its close releases the address
                    refuse(connection, "ID-TAKEN", "ID is taken", 1008);
                  } else {
                    open(socket);
                  }
                });
    return Optional.of(socket);
  }

  private void open(PeerSocket socket) {
    socket.open();
    deliverPending(socket);
  }

  /**
   * A fresh random id that no connected client has, on this node or (as far as it knows) others.
   */
  public String freshId() {
    while (true) {
      String id = UUID.randomUUID().toString();
      if (!clients.containsKey(id) && cluster.nodeOf(id).isEmpty()) {
        return id;
      }
    }
  }

  /** The ids of the connected clients, on every node (for discovery). */
  public List<String> ids() {
    Set<String> ids = new LinkedHashSet<>(clients.keySet());
    ids.addAll(cluster.ids());
    return new ArrayList<>(ids);
  }

  @Override
  public void close() {
    sweeper.cancel(false);
  }

  private enum Outcome {
    NEW,
    REPLACED,
    TAKEN,
    FULL
  }

  private record Admission(Outcome outcome, Optional<PeerSocket> replaced) {}

  private Admission admit(PeerSocket socket) {
    Outcome[] outcome = new Outcome[1];
    PeerSocket[] earlier = new PeerSocket[1];
    clients.compute(
        socket.id,
        (id, existing) -> {
          if (existing == null) {
            if (clients.size() >= config.concurrentLimit()) {
              outcome[0] = Outcome.FULL;
              return null;
            }
            outcome[0] = Outcome.NEW;
            return socket;
          }
          if (!existing.token.equals(socket.token)) {
            outcome[0] = Outcome.TAKEN;
            return existing;
          }
          outcome[0] = Outcome.REPLACED;
          earlier[0] = existing;
          return socket;
        });
    return new Admission(outcome[0], Optional.ofNullable(earlier[0]));
  }

  private static Optional<Endpoint> refuse(
      Connection connection, String type, String message, int closeCode) {
    ObjectNode frame = JSON.createObjectNode().put("type", type);
    frame.putObject("payload").put("msg", message);
    connection.send(frame(frame));
    connection.close(closeCode, type);
    return Optional.empty();
  }

  /** Routes a message from {@code from}; {@code message} carries the src the server stamped. */
  void relay(PeerSocket from, String type, ObjectNode message) {
    JsonNode dstNode = message.get("dst");
    String dst = dstNode != null && dstNode.isTextual() ? dstNode.textValue() : null;
    if (dst == null) {
      if (type.equals("LEAVE")) {
        // A LEAVE to nobody is the client saying goodbye.
        gone(from);
        from.connection.close(1000, "left");
      }
      return;
    }
    byte[] bytes = frame(message);
    PeerSocket target = clients.get(dst);
    if (target != null) {
      if (target.connection.isOpen()) {
        target.deliver(bytes);
        metrics.peerJsRelayed();
      } else {
        // It died without a close reaching us: drop it and tell the sender to stop trying.
        gone(target);
        sendTo(from, control("LEAVE", dst, from.id));
      }
      return;
    }
    Optional<String> node = cluster.nodeOf(dst);
    if (node.isPresent()) {
      var unused =
          cluster
              .deliver(node.get(), dst, bytes)
              .thenAccept(
                  taken -> { // counted as relayed where it is delivered
                    if (!taken && !type.equals("LEAVE") && !type.equals("EXPIRE")) {
                      enqueue(from, dst, bytes); // that node just went: wait as for anyone absent
                    }
                  });
      return;
    }
    if (type.equals("LEAVE") || type.equals("EXPIRE")) {
      return; // nothing to tell someone who is not there
    }
    enqueue(from, dst, bytes);
  }

  /** {@code socket} is no longer connected here: its id is free, here and on every node. */
  private void gone(PeerSocket socket) {
    if (clients.remove(socket.id, socket)) {
      cluster.release(socket.id, socket.token);
    }
  }

  @Override
  public void claimed(String id, String node) {
    PendingQueue queue = pending.remove(id);
    if (queue != null) {
      for (PendingMessage message : queue.messages) {
        var unused = cluster.deliver(node, id, message.frame()); // counted where delivered
      }
    }
  }

  @Override
  public boolean deliverHere(String id, byte[] frame) {
    PeerSocket socket = clients.get(id);
    if (socket == null) {
      return false; // gone a moment ago: as if it had gone a moment earlier
    }
    socket.deliver(frame);
    metrics.peerJsRelayed();
    return true;
  }

  @Override
  public void reattachedElsewhere(String id) {
    PeerSocket socket = clients.remove(id);
    if (socket != null) {
      socket.connection.close(1000, "replaced");
    }
  }

  private void enqueue(PeerSocket from, String dst, byte[] bytes) {
    boolean[] full = {false};
    pending.compute(
        dst,
        (id, queue) -> {
          PendingQueue q = queue == null ? new PendingQueue(clock.getAsLong()) : queue;
          if (q.messages.size() >= config.maxQueuedPerPeer()) {
            full[0] = true;
          } else {
            q.messages.add(new PendingMessage(from.id, bytes));
          }
          return q;
        });
    if (full[0]) {
      sendTo(from, control("EXPIRE", dst, from.id));
      metrics.peerJsExpired();
    }
    // The peer may have connected between the look-up and the queueing: hand it over now.
    PeerSocket arrived = clients.get(dst);
    if (arrived != null) {
      deliverPending(arrived);
    }
  }

  private void deliverPending(PeerSocket socket) {
    PendingQueue queue = pending.remove(socket.id);
    if (queue != null) {
      for (PendingMessage message : queue.messages) {
        socket.deliver(message.frame());
        metrics.peerJsRelayed();
      }
    }
  }

  /** Turns messages that waited too long into one EXPIRE per sender and absent peer. */
  private void expire() {
    long now = clock.getAsLong();
    long timeout = config.expireTimeout().toNanos();
    for (String dst : pending.keySet()) {
      PendingQueue queue = pending.get(dst);
      if (queue == null || now - queue.since < timeout || !pending.remove(dst, queue)) {
        continue;
      }
      Set<String> senders = new LinkedHashSet<>();
      queue.messages.forEach(message -> senders.add(message.from()));
      for (String sender : senders) {
        PeerSocket socket = clients.get(sender);
        if (socket != null) {
          sendTo(socket, control("EXPIRE", dst, sender));
          metrics.peerJsExpired();
        }
      }
    }
  }

  void closed(PeerSocket socket) {
    addressLimit.release(socket.connection.remoteAddress());
    gone(socket);
  }

  private static ObjectNode control(String type, String src, String dst) {
    return JSON.createObjectNode().put("type", type).put("src", src).put("dst", dst);
  }

  private static void sendTo(PeerSocket socket, ObjectNode message) {
    socket.connection.send(frame(message));
  }

  static byte[] frame(JsonNode message) {
    try {
      return JSON.writeValueAsBytes(message);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  @SuppressWarnings("ArrayRecordComponent") // a carrier, never compared or hashed
  private record PendingMessage(String from, byte[] frame) {}

  /** Messages for one absent peer, oldest first; {@code since} is when the first arrived. */
  private static final class PendingQueue {
    final long since;
    final List<PendingMessage> messages = new ArrayList<>();

    PendingQueue(long since) {
      this.since = since;
    }
  }

  /** One PeerJS client's WebSocket: its frames, rate-limited, in. */
  final class PeerSocket implements Endpoint {
    final String id;
    final String token;
    final Connection connection;
    private final PeerJsFrames frames;

    /**
     * Messages that reached it before its OPEN was sent (its id claimed on the other nodes, whose
     * messages for it may come first); null once open. At most the queue of an absent peer.
     */
    private @Nullable List<byte[]> early = new ArrayList<>();

    PeerSocket(String id, String token, Connection connection) {
      this.id = id;
      this.token = token;
      this.connection = connection;
      this.frames = new PeerJsFrames(connection, metrics, messagesPerSecond, messageBurst, clock);
    }

    /** Sends OPEN, then what came early. */
    synchronized void open() {
      connection.send(frame(JSON.createObjectNode().put("type", "OPEN")));
      List<byte[]> waiting = early;
      early = null;
      if (waiting != null) {
        waiting.forEach(connection::send);
      }
    }

    /** Sends a relayed message, after OPEN. */
    synchronized void deliver(byte[] bytes) {
      List<byte[]> waiting = early;
      if (waiting == null) {
        connection.send(bytes);
      } else if (waiting.size() < config.maxQueuedPerPeer()) {
        waiting.add(bytes);
      }
    }

    @Override
    public void onText(byte[] utf8) {
      frames.read(utf8).ifPresent(message -> handle(message));
    }

    private void handle(ObjectNode message) {
      String type = message.get("type").textValue();
      switch (type) {
        case "HEARTBEAT" -> {
          // Reading it was the point: the transport counts any frame as a sign of life.
        }
        case "OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE" ->
            relay(this, type, forward(type, message));
        default -> {
          // Ignored, as the stock server does, so newer clients keep working.
        }
      }
    }

    /** What goes on: type, payload and dst as sent, src as the server knows it; nothing else. */
    private ObjectNode forward(String type, ObjectNode message) {
      ObjectNode out = JSON.createObjectNode().put("type", type).put("src", id);
      JsonNode dst = message.get("dst");
      if (dst != null) {
        out.set("dst", dst);
      }
      JsonNode payload = message.get("payload");
      if (payload != null) {
        out.set("payload", payload);
      }
      return out;
    }

    @Override
    public void onBinary() {
      frames.binary();
    }

    @Override
    public void onFrameTooLarge() {
      frames.tooLarge();
    }

    @Override
    public void onClosed() {
      closed(this);
    }
  }
}
