/**
 * The Netty adapter: one port carries HTTP and the WebSocket; frames become calls on a {@link
 * dev.parley.server.session.Session} and messages become frames. No protocol rules live here.
 */
@NullMarked
package dev.parley.server.transport;

import org.jspecify.annotations.NullMarked;
