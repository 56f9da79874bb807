package dev.parley.client.group;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;

/** A member as a {@code create} or an {@code add} names it: the name and its identity key. */
public record MemberKey(UserName name, IdentityKey key) {}
