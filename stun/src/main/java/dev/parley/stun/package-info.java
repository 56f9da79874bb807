/**
 * STUN and TURN (RFC 8489, RFC 8656) without an I/O framework: the message codec that checks every
 * datagram before anyone reads it, the rules by which the server answers Binding requests, and
 * blocking probes (a Binding query, a TURN Allocate) on the JDK's own sockets.
 */
@NullMarked
package dev.parley.stun;

import org.jspecify.annotations.NullMarked;
