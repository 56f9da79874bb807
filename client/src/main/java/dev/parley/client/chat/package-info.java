/**
 * Conversations over peer-to-peer links: messages and files acknowledged end to end, retried from a
 * persistent outbox, de-duplicated on arrival; typing; safety numbers (docs/p2p.md). {@link
 * dev.parley.client.chat.Messenger} is what the user calls; a class per job does the rest, on the
 * client's event loop (docs/client.md, "Threads"), given the client's links and server.
 */
@NullMarked
package dev.parley.client.chat;

import org.jspecify.annotations.NullMarked;
