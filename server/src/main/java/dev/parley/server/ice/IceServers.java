package dev.parley.server.ice;

import dev.parley.protocol.IceServer;
import dev.parley.protocol.UserName;
import dev.parley.stun.TurnUrl;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN and TURN servers a deployment offers its clients: the server's own STUN responder, at
 * the host each client named to reach the server, and the operator's STUN and TURN URLs. TURN
 * credentials are minted per login with the shared-secret scheme coturn implements as {@code
 * use-auth-secret} (the "TURN REST API"): the username is {@code <expiry unix seconds>:<name>}, the
 * password the base64 HMAC-SHA1 of the username under the shared secret, so coturn can check them
 * without asking Parley.
 */
public final class IceServers {
  private static final Pattern STUN_URL =
      Pattern.compile("stuns?:([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");

  private final List<String> stunUrls;
  private final List<String> turnUrls;
  private final Optional<String> turnSecret;
  private final Duration turnTtl;
  private final OptionalInt ownStunPort;

  /**
   * @param turnUrls the operator's TURN URLs; one without a transport is offered over UDP and TCP
   * @throws IllegalArgumentException if a URL is malformed, or TURN URLs come without a secret
   */
  public IceServers(
      List<String> stunUrls, List<String> turnUrls, Optional<String> turnSecret, Duration turnTtl) {
    this(stunUrls, expand(turnUrls), turnSecret, turnTtl, OptionalInt.empty());
  }

  private IceServers(
      List<String> stunUrls,
      List<String> turnUrls,
      Optional<String> turnSecret,
      Duration turnTtl,
      OptionalInt ownStunPort) {
    if (!turnUrls.isEmpty() && turnSecret.isEmpty()) {
      throw new IllegalArgumentException("TURN URLs need a TURN shared secret (--turn-secret)");
    }
    stunUrls.forEach(IceServers::checkStun);
    this.stunUrls = List.copyOf(stunUrls);
    this.turnUrls = List.copyOf(turnUrls);
    this.turnSecret = turnSecret;
    this.turnTtl = turnTtl;
    this.ownStunPort = ownStunPort;
  }

  /** Each URL in its canonical form, one per transport: a bare {@code turn:} is UDP and TCP. */
  private static List<String> expand(List<String> turnUrls) {
    return turnUrls.stream()
        .map(TurnUrl::parse)
        .flatMap(url -> url.expand().stream())
        .map(TurnUrl::toString)
        .distinct()
        .toList();
  }

  private static void checkStun(String url) {
    if (!STUN_URL.matcher(url).matches()) {
      throw new IllegalArgumentException(
          "'" + url + "' is not a STUN URL; write stun:host or stun:host:port");
    }
  }

  public static IceServers none() {
    return new IceServers(List.of(), List.of(), Optional.empty(), Duration.ofHours(1));
  }

  /** These servers and a STUN server of our own on UDP {@code port} of this host. */
  public IceServers withOwnStun(int port) {
    return new IceServers(stunUrls, turnUrls, turnSecret, turnTtl, OptionalInt.of(port));
  }

  /** The operator's STUN URLs, handed to clients after the server's own. */
  public List<String> stunUrls() {
    return stunUrls;
  }

  /** The secret shared with the TURN server, if TURN is configured. */
  public Optional<String> turnSecret() {
    return turnSecret;
  }

  /** How long the TURN credentials minted at a login are valid. */
  public Duration turnTtl() {
    return turnTtl;
  }

  /** The TURN URLs clients get, each transport its own URL. */
  public List<String> turnUrls() {
    return turnUrls;
  }

  /** Whether clients get a relay to fall back on. */
  public boolean relayOffered() {
    return !turnUrls.isEmpty();
  }

  /**
   * What {@code user} gets at a login at {@code now}, having reached us at {@code host} (a name or
   * an IP address, IPv6 in brackets): empty if nothing is configured and we answer no STUN.
   */
  public List<IceServer> forUser(UserName user, String host, Instant now) {
    List<IceServer> servers = new ArrayList<>(2);
    List<String> stun = new ArrayList<>(stunUrls.size() + 1);
    ownStunPort.ifPresent(port -> stun.add("stun:" + host + ":" + port));
    stunUrls.stream().filter(url -> !stun.contains(url)).forEach(stun::add);
    if (!stun.isEmpty()) {
      servers.add(IceServer.withoutCredentials(stun));
    }
    if (!turnUrls.isEmpty()) {
      Credentials minted = credentials(user.value(), now);
      servers.add(new IceServer(turnUrls, minted.username(), minted.password()));
    }
    return servers;
  }

  /** A TURN username and password, as coturn's {@code use-auth-secret} checks them. */
  public record Credentials(String username, String password) {}

  /**
   * TURN credentials minted at {@code now} for {@code label} (a user's name, or the server's own
   * self-check): valid for the configured lifetime.
   *
   * @throws IllegalStateException if no TURN is configured
   */
  public Credentials credentials(String label, Instant now) {
    String secret =
        turnSecret.orElseThrow(() -> new IllegalStateException("no TURN is configured"));
    String username = now.plus(turnTtl).getEpochSecond() + ":" + label;
    return new Credentials(username, credential(secret, username));
  }

  /** coturn's password for {@code username}: base64(HMAC-SHA1(secret, username)). */
  static String credential(String secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA1", e);
    }
  }
}
