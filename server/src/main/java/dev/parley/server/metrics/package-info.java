/** Counters and gauges of the server, exposed in the Prometheus text format at {@code /metrics}. */
@NullMarked
package dev.parley.server.metrics;

import org.jspecify.annotations.NullMarked;
