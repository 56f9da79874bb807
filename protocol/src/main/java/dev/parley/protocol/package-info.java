/**
 * The native Parley wire protocol: messages between a client and the server, their JSON codecs (one
 * per direction: {@link dev.parley.protocol.ClientCodec}, {@link dev.parley.protocol.ServerCodec}),
 * and the identity keys that prove who a client is. Pure logic with no I/O, shared by server and
 * clients.
 */
@NullMarked
package dev.parley.protocol;

import org.jspecify.annotations.NullMarked;
