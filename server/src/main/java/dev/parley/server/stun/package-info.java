/**
 * The server's STUN responder (RFC 8489, Binding only) on UDP: clients learn their public address
 * from it with no other software, and {@code parley doctor} checks how their NAT maps ports.
 */
@NullMarked
package dev.parley.server.stun;

import org.jspecify.annotations.NullMarked;
