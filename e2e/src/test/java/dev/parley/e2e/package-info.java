/**
 * End-to-end tests: the real server driven by Debian's Chromium, and the fixtures that start them
 * (the browser, a static site for test pages, npm packages installed at test time).
 */
@NullMarked
package dev.parley.e2e;

import org.jspecify.annotations.NullMarked;
