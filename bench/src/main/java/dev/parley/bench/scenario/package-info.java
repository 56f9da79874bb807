/**
 * The measurements: connections held, signaling relay, presence, a restart storm; each Parley
 * beside its anchors (the storm: everyone presence beside contacts presence).
 */
@NullMarked
package dev.parley.bench.scenario;

import org.jspecify.annotations.NullMarked;
