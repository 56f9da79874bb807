/** The ICE configuration handed to clients at login, with short-lived TURN credentials. */
@NullMarked
package dev.parley.server.ice;

import org.jspecify.annotations.NullMarked;
