/**
 * Conversations over peer-to-peer links: messages and files acknowledged end to end, retried from a
 * persistent outbox, de-duplicated on arrival; typing; safety numbers (docs/p2p.md).
 */
@NullMarked
package dev.parley.client.chat;

import org.jspecify.annotations.NullMarked;
