/**
 * The terminal clients: {@code parley chat} (interactive), {@code parley send} and {@code parley
 * receive} (scriptable), on the client library.
 */
@NullMarked
package dev.parley.app.cli;

import org.jspecify.annotations.NullMarked;
