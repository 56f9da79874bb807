package dev.parley.protocol;

/** A user who is online, with the identity key the directory holds for them. */
public record OnlineUser(UserName name, IdentityKey publicKey) {}
