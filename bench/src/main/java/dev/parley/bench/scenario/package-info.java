/**
 * The measurements: connections held, signaling relay, presence; each Parley beside its anchors.
 */
@NullMarked
package dev.parley.bench.scenario;

import org.jspecify.annotations.NullMarked;
