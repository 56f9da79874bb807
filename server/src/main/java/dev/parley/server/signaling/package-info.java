/** The signaling relay: offers, answers, ICE candidates and hang-ups forwarded between users. */
@NullMarked
package dev.parley.server.signaling;

import org.jspecify.annotations.NullMarked;
