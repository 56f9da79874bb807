/** The load generator: many WebSocket connections from one process, on Netty's client. */
@NullMarked
package dev.parley.bench.load;

import org.jspecify.annotations.NullMarked;
