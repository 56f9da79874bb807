/** Plain HTTP on the server's port: health, metrics, the public-key lookup and static files. */
@NullMarked
package dev.parley.server.http;

import org.jspecify.annotations.NullMarked;
