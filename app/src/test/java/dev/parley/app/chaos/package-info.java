/**
 * Chaos tests: {@code parley} processes (server, senders, receivers) killed with SIGKILL at the
 * worst moments, and disks that fill up, each followed by a check that nothing was lost, shown
 * twice or damaged (docs/chaos.md).
 */
@NullMarked
package dev.parley.app.chaos;

import org.jspecify.annotations.NullMarked;
