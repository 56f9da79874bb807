package dev.parley.testkit;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * How to start a {@link CoturnServer}; every option has a default that suits a loopback test.
 * Obtained from {@link CoturnServer#builder()}.
 */
public final class CoturnOptions {
  private String listeningIp = "127.0.0.1";
  private List<String> commandPrefix = List.of();
  private String secret = randomSecret();
  private String realm = "parley.test";
  private boolean tls;
  private Optional<String> relayIp = Optional.empty();
  private Optional<String> externalIp = Optional.empty();
  private int userQuota;
  private List<String> deniedPeers = List.of();
  private Optional<Path> configFile = Optional.empty();

  CoturnOptions() {}

  /** The IP address to listen and relay on; 127.0.0.1 by default. */
  public CoturnOptions listeningIp(String ip) {
    this.listeningIp = ip;
    return this;
  }

  /**
   * A command to run turnserver under, such as {@code List.of("ip", "netns", "exec", "ns1")} to
   * start it in a network namespace. Its ports are then not checked for being free, and readiness
   * comes from its log alone, since this JVM cannot reach into the namespace.
   */
  public CoturnOptions commandPrefix(List<String> prefix) {
    this.commandPrefix = List.copyOf(prefix);
    return this;
  }

  /** The TURN REST secret ({@code static-auth-secret}); a random one by default. */
  public CoturnOptions secret(String secret) {
    this.secret = secret;
    return this;
  }

  public CoturnOptions realm(String realm) {
    this.realm = realm;
    return this;
  }

  /** Whether to open a TLS listener too, with a self-signed certificate made for the test. */
  public CoturnOptions tls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /** The address relays are allocated on; the listening IP by default. */
  public CoturnOptions relayIp(String ip) {
    this.relayIp = Optional.of(ip);
    return this;
  }

  /**
   * The public address to report for relays, as {@code public[/private]}, for a server behind NAT.
   */
  public CoturnOptions externalIp(String mapping) {
    this.externalIp = Optional.of(mapping);
    return this;
  }

  /**
   * Peer addresses the relay refuses to send to ({@code denied-peer-ip}, each an address or a range
   * {@code from-to}), as docs/operations.md has a production coturn refuse private and loopback
   * ranges. None by default.
   */
  public CoturnOptions deniedPeers(List<String> ranges) {
    this.deniedPeers = List.copyOf(ranges);
    return this;
  }

  List<String> deniedPeers() {
    return deniedPeers;
  }

  /**
   * A {@code turnserver.conf} to read as well ({@code -c}), such as the one docs/operations.md
   * gives; the options of this builder (addresses, ports, secret, logging) win over the file's.
   */
  public CoturnOptions configFile(Path file) {
    this.configFile = Optional.of(file);
    return this;
  }

  Optional<Path> configFile() {
    return configFile;
  }

  /** How many allocations one username may hold at once; unlimited (0) by default. */
  public CoturnOptions userQuota(int allocations) {
    this.userQuota = allocations;
    return this;
  }

  /**
   * Starts the server; returns once it answers.
   *
   * @throws IllegalStateException if coturn is not installed or does not start; the message then
   *     holds its log
   */
  public CoturnServer start() {
    return CoturnLauncher.start(this);
  }

  String listeningIp() {
    return listeningIp;
  }

  List<String> commandPrefix() {
    return commandPrefix;
  }

  String secret() {
    return secret;
  }

  String realm() {
    return realm;
  }

  boolean tls() {
    return tls;
  }

  String relayIp() {
    return relayIp.orElse(listeningIp);
  }

  Optional<String> externalIp() {
    return externalIp;
  }

  int userQuota() {
    return userQuota;
  }

  private static String randomSecret() {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
