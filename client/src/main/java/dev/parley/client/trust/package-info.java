/**
 * Whom we trust: the identity key pinned for each peer name on first use, and the refusal of a key
 * that changed until the user accepts it.
 */
@NullMarked
package dev.parley.client.trust;

import org.jspecify.annotations.NullMarked;
