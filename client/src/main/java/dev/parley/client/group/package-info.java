/**
 * Group conversations as a signed log (docs/p2p.md, "Groups"): its entries and their signed
 * payload, the wire form, the membership the log decides, the order every member shows, and what a
 * member lacks. Plain classes with no I/O; {@code dev.parley.client.chat.Groups} runs them over the
 * client's links.
 */
@NullMarked
package dev.parley.client.group;

import org.jspecify.annotations.NullMarked;
