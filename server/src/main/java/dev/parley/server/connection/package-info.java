/**
 * The contracts between the transport and the protocols spoken over it: a {@link
 * dev.parley.server.connection.Connection} is how a protocol sees one client's socket, an {@link
 * dev.parley.server.connection.Endpoint} how the transport hands that protocol the client's frames.
 */
@NullMarked
package dev.parley.server.connection;

import org.jspecify.annotations.NullMarked;
