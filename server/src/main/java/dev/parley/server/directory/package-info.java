/**
 * The directory: who exists, as name and identity key, and the invite codes that let new names in,
 * kept in a SQL database (an embedded SQLite file by default, PostgreSQL by URL) with versioned
 * migrations.
 */
@NullMarked
package dev.parley.server.directory;

import org.jspecify.annotations.NullMarked;
