package dev.parley.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.link.PeerLink;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of clients in a {@link World}: a fresh world for each test, in a directory of its own,
 * closed after it. A subclass's own {@code @BeforeEach} runs after the world is made.
 */
abstract class WorldTest {
  static final UserName ALICE = new UserName("alice");
  static final UserName BOB = new UserName("bob");

  @TempDir Path dir;
  World world;

  @BeforeEach
  void makeWorld() {
    world = new World(dir, mode());
  }

  /** The presence mode of the world's server; everyone unless a subclass says otherwise. */
  PresenceMode mode() {
    return PresenceMode.EVERYONE;
  }

  /** The link once it is open, after running the world. */
  PeerLink opened(CompletableFuture<PeerLink> link) {
    world.run();
    assertThat(link).isCompleted();
    return link.join();
  }

  @AfterEach
  void closeWorld() {
    world.close();
  }
}
