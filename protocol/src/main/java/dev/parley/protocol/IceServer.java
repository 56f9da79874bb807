package dev.parley.protocol;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the ICE configuration the server hands to clients, in the shape of the browser's
 * {@code RTCIceServer}: STUN or TURN URLs and, for TURN, a short-lived username and credential.
 */
public record IceServer(List<String> urls, @Nullable String username, @Nullable String credential) {
  public IceServer {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("an ICE server needs at least one URL");
    }
    if ((username == null) != (credential == null)) {
      throw new IllegalArgumentException("an ICE server has both a username and a credential");
    }
  }

  public static IceServer withoutCredentials(List<String> urls) {
    return new IceServer(urls, null, null);
  }

  public Optional<String> usernameIfAny() {
    return Optional.ofNullable(username);
  }

  public Optional<String> credentialIfAny() {
    return Optional.ofNullable(credential);
  }
}
