/** The servers under test, each a process of its own whose CPU and memory are read from /proc. */
@NullMarked
package dev.parley.bench.servers;

import org.jspecify.annotations.NullMarked;
