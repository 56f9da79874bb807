/**
 * {@code parley doctor}: checks, from the user's own network, what Parley needs (the server's HTTP
 * side and WebSocket, UDP to its STUN responder, how the NAT maps ports, the TURN relay), and says
 * in a sentence what that means for direct connections ({@link dev.parley.app.doctor.Verdict}).
 */
@NullMarked
package dev.parley.app.doctor;

import org.jspecify.annotations.NullMarked;
