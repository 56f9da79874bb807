/**
 * The Parley server: assembles the directory, presence, sessions and transport into one process
 * ({@link dev.parley.server.ParleyServer}), from a configuration ({@link
 * dev.parley.server.ServerConfig}) whose options are declared once, in {@link
 * dev.parley.server.ServerOptions}.
 */
@NullMarked
package dev.parley.server;

import org.jspecify.annotations.NullMarked;
