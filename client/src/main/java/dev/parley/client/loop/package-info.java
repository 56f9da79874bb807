/**
 * The client's event loop, and the one threading rule of the client library: all state of a client
 * (its links, its conversations, their timers) belongs to one thread, its {@link
 * dev.parley.client.loop.EventLoop}; whatever happens elsewhere (a webrtc-java callback, a frame
 * from the server, a call from the user) is posted to it. {@link dev.parley.client.loop.ThreadLoop}
 * is that thread; {@link dev.parley.client.loop.ManualLoop} runs the same tasks when its caller
 * says so, on a clock that only the caller moves, for tests and simulations. The rule and its few
 * exceptions are written out in docs/client.md ("Threads").
 */
@NullMarked
package dev.parley.client.loop;

import org.jspecify.annotations.NullMarked;
