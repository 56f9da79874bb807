/**
 * Limits shared by every protocol on the server's ports: a token bucket per connection or source
 * ({@link dev.parley.server.limits.RateLimiter}) and the cap on connections per IP address ({@link
 * dev.parley.server.limits.AddressLimit}).
 */
@NullMarked
package dev.parley.server.limits;

import org.jspecify.annotations.NullMarked;
