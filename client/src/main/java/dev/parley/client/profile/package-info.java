/**
 * A user's profile on disk: the identity key, the pinned keys of peers, and the history and outbox
 * of every conversation in a local SQLite database.
 */
@NullMarked
package dev.parley.client.profile;

import org.jspecify.annotations.NullMarked;
