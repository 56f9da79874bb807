package dev.parley.client.trust;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;

/**
 * The server presents a different identity key for a name than the one pinned: either the peer has
 * a new key, or someone (the server included) is impersonating them. Links to the name are refused
 * until the user {@linkplain KeyPins#accept accepts} the new key.
 */
public final class KeyChangedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient UserName name;
  private final transient IdentityKey pinned;
  private final transient IdentityKey presented;

  public KeyChangedException(UserName name, IdentityKey pinned, IdentityKey presented) {
    super(
        "WARNING: the identity key of '"
            + name
            + "' has changed (pinned "
            + pinned
            + ", now "
            + presented
            + "); refusing to talk to them until you accept the new key");
    this.name = name;
    this.pinned = pinned;
    this.presented = presented;
  }

  public UserName name() {
    return name;
  }

  public IdentityKey pinned() {
    return pinned;
  }

  public IdentityKey presented() {
    return presented;
  }
}
