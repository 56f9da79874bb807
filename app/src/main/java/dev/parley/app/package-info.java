/** The {@code parley} launcher's entry point. */
@NullMarked
package dev.parley.app;

import org.jspecify.annotations.NullMarked;
