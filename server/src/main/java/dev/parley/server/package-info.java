/**
 * The Parley server: assembles the directory, presence, sessions and transport into one process
 * ({@link dev.parley.server.ParleyServer}) and maps its command line ({@link
 * dev.parley.server.ServerCommand}).
 */
@NullMarked
package dev.parley.server;

import org.jspecify.annotations.NullMarked;
