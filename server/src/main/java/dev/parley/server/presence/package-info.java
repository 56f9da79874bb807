/**
 * Who is online and where: the port through which sessions join, leave, receive presence events and
 * reach each other, so that one node or many (through Redis) look the same to the session logic.
 */
@NullMarked
package dev.parley.server.presence;

import org.jspecify.annotations.NullMarked;
