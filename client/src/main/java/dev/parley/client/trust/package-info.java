/**
 * Whom we trust: the identity key pinned for each peer name on first use, the refusal of a key that
 * changed until the user accepts it, and the user's mark on a key they verified.
 */
@NullMarked
package dev.parley.client.trust;

import org.jspecify.annotations.NullMarked;
