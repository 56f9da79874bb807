/**
 * Shared test fixtures: real components started from Debian's binaries, and protocol-level clients.
 */
@NullMarked
package dev.parley.testkit;

import org.jspecify.annotations.NullMarked;
