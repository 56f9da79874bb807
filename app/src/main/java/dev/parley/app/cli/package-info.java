/**
 * The terminal clients: {@code parley chat} (interactive), {@code parley send} and {@code parley
 * receive} (scriptable), on the client library; and {@code parley doctor}, which checks the network
 * for them.
 */
@NullMarked
package dev.parley.app.cli;

import org.jspecify.annotations.NullMarked;
