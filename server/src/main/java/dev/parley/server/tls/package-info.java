/** HTTPS and WSS on the server's port: a certificate from PEM files or a self-signed one. */
@NullMarked
package dev.parley.server.tls;

import org.jspecify.annotations.NullMarked;
