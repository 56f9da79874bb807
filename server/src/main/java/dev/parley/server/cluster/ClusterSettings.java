package dev.parley.server.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a node meets the others of its deployment.
 *
 * @param redis Redis, {@code redis://HOST:PORT} ({@code rediss://} for TLS; a password as {@code
 *     redis://:PASSWORD@HOST:PORT})
 * @param node this node's id, unique in the deployment: 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'
 * @param prefix the prefix of every Redis key and channel, so deployments may share a Redis
 * @param heartbeat how often this node says it lives and looks for nodes that stopped
 * @param ttl how long after its last heartbeat a node is taken offline
 */
public record ClusterSettings(
    String redis, String node, String prefix, Duration heartbeat, Duration ttl) {
  public static final String DEFAULT_PREFIX = "parley:";
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public ClusterSettings {
    if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "--redis takes a redis:// or rediss:// URI, such as redis://127.0.0.1:6379, not "
              + redis);
    }
    if (!NODE.matcher(node).matches()) {
      throw new IllegalArgumentException(
          "--node-id is 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', not " + node);
    }
    if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("a node's heartbeat must fit in its ttl twice");
    }
  }

  /** {@link #redis} as logs show it: without a password it may carry. */
  public String redisShown() {
    return redis.replaceFirst("^(rediss?://)[^@/]*@", "$1");
  }

  /** With the default prefix, heartbeat and time to live. */
  public static ClusterSettings of(String redis, String node) {
    return new ClusterSettings(redis, node, DEFAULT_PREFIX, DEFAULT_HEARTBEAT, DEFAULT_TTL);
  }

  /** A node id no other node has: this host's name and six random hex digits. */
  public static String uniqueNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      host = "node";
    }
    host = host.replaceAll("[^a-z0-9._-]", "");
    if (host.isEmpty()) {
      host = "node";
    }
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String suffix = "-" + HexFormat.of().formatHex(random);
    return host.substring(0, Math.min(host.length(), 64 - suffix.length())) + suffix;
  }
}
