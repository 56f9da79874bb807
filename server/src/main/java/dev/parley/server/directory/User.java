package dev.parley.server.directory;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.time.Instant;

/** A registered user: the name as first registered, the key it belongs to, and when. */
public record User(UserName name, IdentityKey publicKey, Instant created, Instant lastSeen) {}
