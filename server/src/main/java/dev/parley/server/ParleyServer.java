package dev.parley.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.cluster.RedisCluster;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.JdbcDirectory;
import dev.parley.server.http.HttpRoutes;
import dev.parley.server.http.StaticFiles;
import dev.parley.server.ice.IceHealth;
import dev.parley.server.ice.IceServers;
import dev.parley.server.ice.TurnCheck;
import dev.parley.server.limits.AddressLimit;
import dev.parley.server.metrics.Metrics;
import dev.parley.server.peerjs.PeerJsCluster;
import dev.parley.server.peerjs.PeerJsRealm;
import dev.parley.server.presence.Cluster;
import dev.parley.server.presence.NodePresence;
import dev.parley.server.presence.Presence;
import dev.parley.server.session.Collaborators;
import dev.parley.server.session.Registration;
import dev.parley.server.session.Sessions;
import dev.parley.server.signaling.Signaling;
import dev.parley.server.stun.StunService;
import dev.parley.server.tls.TlsContexts;
import dev.parley.server.transport.NettyServer;
import dev.parley.server.transport.OpenFiles;
import dev.parley.server.transport.Transport;
import dev.parley.server.transport.TransportChoice;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Parley server: the parts wired together, and their orderly shutdown. */
public final class ParleyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

  private final ServerConfig config;
  private final Directory directory;
  private final Presence presence;
  private final @Nullable RedisCluster cluster;
  private final Metrics metrics;
  private final ExecutorService blocking;
  private final ScheduledExecutorService timers;
  private final Sessions sessions;
  private final NettyServer transport;
  private final StunService stun;
  private final TurnCheck turnCheck;
  private boolean closed;

  private ParleyServer(
      ServerConfig config,
      Directory directory,
      Presence presence,
      @Nullable RedisCluster cluster,
      Metrics metrics,
      ExecutorService blocking,
      ScheduledExecutorService timers,
      Sessions sessions,
      NettyServer transport,
      StunService stun,
      TurnCheck turnCheck) {
    this.config = config;
    this.directory = directory;
    this.presence = presence;
    this.cluster = cluster;
    this.metrics = metrics;
    this.blocking = blocking;
    this.timers = timers;
    this.sessions = sessions;
    this.transport = transport;
    this.stun = stun;
    this.turnCheck = turnCheck;
  }

  /**
   * Opens the directory {@code config} names: its database URL, else the embedded database in its
   * data directory. The server opens it so, and so does {@code parley invite}, beside it.
   */
  public static Directory openDirectory(ServerConfig config) {
    return config.databaseUrl().isPresent()
        ? JdbcDirectory.open(
            config.databaseUrl().get(),
            config.databaseUser().orElse(null),
            config.databasePassword().orElse(null))
        : JdbcDirectory.sqlite(config.dataDirectory());
  }

  /**
   * Opens the directory, binds the port and starts serving.
   *
   * @throws dev.parley.server.transport.TransportUnavailableException if the transport asked for
   *     cannot run here
   */
  public static ParleyServer start(ServerConfig config) {
    TransportChoice chosen = TransportChoice.of(config.transport());
    SslContext tls =
        config
            .tls()
            .map(settings -> TlsContexts.server(settings, config.dataDirectory()))
            .orElse(null);
    Directory directory = openDirectory(config);
    Metrics metrics = new Metrics();
    metrics.directoryFullGauge(() -> directory.full() ? 1 : 0);
    StunService stun;
    try {
      stun = StunService.start(config.host(), config.stun(), metrics);
    } catch (RuntimeException e) {
      directory.close();
      throw e;
    }
    IceServers ice =
        stun.clientPort().isPresent()
            ? config.iceServers().withOwnStun(stun.clientPort().getAsInt())
            : config.iceServers();
    EventLoopGroup workers = NettyServer.newWorkers(chosen.transport());
    RedisCluster cluster;
    Presence presence;
    try {
      cluster =
          config
              .cluster()
              .map(settings -> RedisCluster.connect(settings, workers, chosen.transport()))
              .orElse(null);
      presence =
          new NodePresence(
              config.presenceMode(),
              config.presenceBatchWindow(),
              metrics,
              cluster != null ? cluster : Cluster.NONE);
    } catch (RuntimeException e) {
      var unused = workers.shutdownGracefully(0, 0, TimeUnit.SECONDS); // nothing runs on them yet
      stun.close();
      directory.close();
      throw e;
    }
    if (cluster != null) {
      RedisCluster node = cluster;
      metrics.deploymentGauges(presence::onlineCount, () -> node.whole() ? node.nodesSeen() : 0);
    }
    ExecutorService blocking =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("blocking-", 0).factory());
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("timers").daemon().factory());
    timers.setRemoveOnCancelPolicy(true);
    TurnCheck turnCheck = TurnCheck.start(ice, Clock.systemUTC(), timers);
    AddressLimit addressLimit = new AddressLimit(config.maxConnectionsPerAddress());
    Sessions sessions =
        new Sessions(
            new Collaborators(
                directory.serverId(),
                directory,
                presence,
                new Signaling(presence, directory, blocking, metrics),
                ice,
                config.limits(),
                metrics,
                Clock.systemUTC(),
                System::nanoTime,
                blocking,
                (task, delay) -> timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS),
                new Registration(
                    config.registration(), config.registrationsPerHour(), System::nanoTime)),
            addressLimit);
    Instant started = Instant.now();
    HttpRoutes routes =
        new HttpRoutes(
            directory,
            metrics,
            blocking,
            new StaticFiles("static"),
            () -> status(sessions, presence, directory, started, stun, turnCheck));
    PeerJsRealm peerJs =
        config
            .peerJs()
            .map(
                settings ->
                    new PeerJsRealm(
                        settings,
                        addressLimit,
                        metrics,
                        config.limits().messagesPerSecond(),
                        config.limits().messageBurst(),
                        timers,
                        cluster != null ? cluster : PeerJsCluster.NONE))
            .orElse(null);
    try {
      NettyServer transport =
          NettyServer.start(
              config.host(),
              config.port(),
              sessions,
              routes,
              config.limits(),
              config.sockets(),
              metrics,
              peerJs,
              tls,
              chosen.transport(),
              workers);
      chosen.log(log);
      OpenFiles.log(log);
      return new ParleyServer(
          config, directory, presence, cluster, metrics, blocking, timers, sessions, transport,
          stun, turnCheck);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(directory, presence, blocking, timers, stun);
      throw new IllegalStateException("interrupted while binding the port", e);
    } catch (RuntimeException e) {
      closeQuietly(directory, presence, blocking, timers, stun);
      throw e;
    }
  }

  public InetSocketAddress address() {
    return transport.address();
  }

  public int port() {
    return address().getPort();
  }

  /** The Netty transport that carries every connection: the one asked for, or the default's. */
  public Transport transport() {
    return transport.transport();
  }

  /** Whether the port speaks HTTPS and WSS (TLS) rather than HTTP and WS. */
  public boolean secure() {
    return config.tls().isPresent();
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Whether and where the server answers STUN. */
  public StunService.State stun() {
    return stun.state();
  }

  /** The relay's self-check: its last outcome per TURN URL, empty until the first has finished. */
  public List<TurnCheck.Outcome> turnCheck() {
    return turnCheck.outcomes();
  }

  /** Whether clients get a relay (TURN URLs are configured). */
  public boolean relayOffered() {
    return turnCheck.enabled();
  }

  /** How many users are logged in on this server. */
  public int onlineCount() {
    return presence.localCount();
  }

  /**
   * Shuts down in order: stop accepting, tell every client and close it (waiting up to the grace
   * period), then stop the event loops and close the directory once pending writes are done.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("Shutting down: telling {} connected clients", sessions.openCount());
    transport.stopAccepting();
    presence.handOff();
    sessions.shutdown();
    try {
      if (!sessions.awaitAllClosed(config.shutdownGrace())) {
        log.warn("{} clients did not close in time; dropping them", sessions.openCount());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (cluster != null) {
      cluster.close(); // leaves the deployment while the loops its Redis client runs on still run
    }
    presence.close(); // no presence frame from now on, for the transport to free its last copy
    transport.close();
    stun.close();
    turnCheck.close();
    timers.shutdownNow();
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Some directory updates did not finish before shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    directory.close();
    log.info("Stopped");
  }

  private static ObjectNode status(
      Sessions sessions,
      Presence presence,
      Directory directory,
      Instant started,
      StunService stun,
      TurnCheck turnCheck) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("connections", sessions.openCount());
    body.put("online", presence.localCount());
    Map<String, Object> cluster = presence.clusterStatus();
    if (!cluster.isEmpty()) {
      body.put("onlineInDeployment", presence.onlineCount());
      body.set("cluster", JsonNodeFactory.instance.pojoNode(cluster));
      if ("unreachable".equals(cluster.get("redis"))) {
        body.put("status", "degraded"); // serving its own users alone
      }
    }
    if (directory.full()) {
      body.put("directory", "full");
      body.put("status", "degraded"); // known names log in, new names are refused
    }
    body.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
    body.set("stun", IceHealth.stun(stun.state()));
    body.set("turn", IceHealth.turn(turnCheck));
    return body;
  }

  private static void closeQuietly(
      Directory directory,
      Presence presence,
      ExecutorService blocking,
      ScheduledExecutorService timers,
      StunService stun) {
    stun.close();
    presence.close();
    timers.shutdownNow();
    blocking.shutdownNow();
    directory.close();
  }
}
