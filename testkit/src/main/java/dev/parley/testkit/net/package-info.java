/**
 * A small internet built from Linux network namespaces on one machine, with home routers and mobile
 * carriers' NATs, for tests that prove peers connect across them; see {@link
 * dev.parley.testkit.net.NetworkLab}.
 */
@NullMarked
package dev.parley.testkit.net;

import org.jspecify.annotations.NullMarked;
