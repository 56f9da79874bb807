package dev.parley.server.ice;

import dev.parley.protocol.IceServer;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN and TURN servers a deployment offers its clients. TURN credentials are minted per login
 * with the shared-secret scheme coturn implements as {@code use-auth-secret} (the "TURN REST API"):
 * the username is {@code <expiry unix seconds>:<name>}, the password the base64 HMAC-SHA1 of the
 * username under the shared secret, so coturn can check them without asking Parley.
 */
public final class IceServers {
  private final List<String> stunUrls;
  private final List<String> turnUrls;
  private final Optional<String> turnSecret;
  private final Duration turnTtl;

  public IceServers(
      List<String> stunUrls, List<String> turnUrls, Optional<String> turnSecret, Duration turnTtl) {
    if (!turnUrls.isEmpty() && turnSecret.isEmpty()) {
      throw new IllegalArgumentException("TURN URLs need a TURN shared secret (--turn-secret)");
    }
    this.stunUrls = List.copyOf(stunUrls);
    this.turnUrls = List.copyOf(turnUrls);
    this.turnSecret = turnSecret;
    this.turnTtl = turnTtl;
  }

  public static IceServers none() {
    return new IceServers(List.of(), List.of(), Optional.empty(), Duration.ofHours(1));
  }

  /** What {@code user} gets at a login at {@code now}: empty if nothing is configured. */
  public List<IceServer> forUser(UserName user, Instant now) {
    List<IceServer> servers = new ArrayList<>(2);
    if (!stunUrls.isEmpty()) {
      servers.add(IceServer.withoutCredentials(stunUrls));
    }
    if (!turnUrls.isEmpty()) {
      String username = now.plus(turnTtl).getEpochSecond() + ":" + user.value();
      servers.add(
          new IceServer(turnUrls, username, credential(turnSecret.orElseThrow(), username)));
    }
    return servers;
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
