/**
 * The client's side of the native protocol: one WebSocket to a Parley server, the login by identity
 * key, who is online (everyone, or in contacts presence mode the names watched), and the signals
 * relayed to and from other users.
 */
@NullMarked
package dev.parley.client.server;

import org.jspecify.annotations.NullMarked;
