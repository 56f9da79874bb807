package dev.parley.server.directory;

import java.time.Instant;

/**
 * An invite as the directory keeps it: the hash of its code ({@link InviteCodes#hash}), never the
 * code, and the time before which it can register one new name.
 */
public record Invite(String codeHash, Instant created, Instant expires) {
  public Invite {
    if (!expires.isAfter(created)) {
      throw new IllegalArgumentException("an invite must expire after it is made");
    }
  }
}
