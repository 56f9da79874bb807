/**
 * Several nodes of one deployment, met in Redis: see {@link
 * dev.parley.server.cluster.RedisCluster}.
 */
@NullMarked
package dev.parley.server.cluster;

import org.jspecify.annotations.NullMarked;
