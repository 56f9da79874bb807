/**
 * One client connection's protocol: the challenge, the login, the rules of what may be sent when,
 * rate limits, and errors. Independent of the transport, which it sees as a {@link
 * dev.parley.server.connection.Connection}.
 */
@NullMarked
package dev.parley.server.session;

import org.jspecify.annotations.NullMarked;
