package dev.parley.client.chat;

import dev.parley.client.link.LinkListener;
import dev.parley.client.link.MemoryLinks;
import dev.parley.client.link.MemoryNetwork;
import dev.parley.client.loop.ManualLoop;
import dev.parley.client.profile.Profile;
import dev.parley.client.server.FakeServer;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients in one JVM for tests of the client's core: each with a real profile on disk, a session
 * with a {@link FakeServer}, {@link MemoryLinks} on one {@link MemoryNetwork}, and a {@link
 * Messenger}; all on one {@link ManualLoop}, so that a test runs everything on its own thread and
 * moves the clock itself. Nothing happens until the test {@linkplain #run runs} the loop.
 */
final class World implements AutoCloseable {
  final ManualLoop loop = new ManualLoop();
  final MemoryNetwork network = new MemoryNetwork();
  final FakeServer server;
  private final Path dir;
  private final List<Client> clients = new ArrayList<>();

  World(Path dir) {
    this(dir, PresenceMode.EVERYONE);
  }

  /** A world whose server runs in {@code mode}. */
  World(Path dir, PresenceMode mode) {
    this.dir = dir;
    this.server = new FakeServer(mode);
  }

  /** One client of the world; its profile is kept across {@link #restart}s. */
  final class Client implements AutoCloseable {
    final UserName name;
    final Profile profile;
    final FakeServer.Session session;
    final Heard heard;
    final Messenger messenger;
    private boolean closed;

    private Client(UserName name, Messenger.Options options, boolean shows) {
      this.name = name;
      this.heard = new Heard(loop, shows);
      this.profile = Profile.open(dir.resolve(name.key()));
      this.session = server.session(name, profile.identity());
      this.messenger =
          new Messenger(
              session,
              (LinkListener listener) -> network.join(session, profile.pins(), loop, listener),
              profile.pins(),
              profile.store(),
              downloads(name),
              options,
              heard,
              loop);
    }

    /** Logs in; the others hear it. */
    Client online() {
      session.join();
      run();
      return this;
    }

    /** Loses the server; the others hear it. */
    void offline() {
      session.leave();
      run();
    }

    /** Stops the client as a closed process would, keeping its profile. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        messenger.close();
        session.leave();
        run();
        profile.close();
      }
    }
  }

  /** Where {@code client} saves the files it receives. */
  Path downloads(Client client) {
    return downloads(client.name);
  }

  private Path downloads(UserName name) {
    return dir.resolve("downloads").resolve(name.key());
  }

  Client client(String name) {
    return client(name, Messenger.Options.DEFAULTS);
  }

  Client client(String name, Messenger.Options options) {
    return add(new Client(new UserName(name), options, true));
  }

  /** A client whose user is shown nothing of what arrives, as in {@code parley send}. */
  Client clientShowingNothing(String name) {
    return add(new Client(new UserName(name), Messenger.Options.DEFAULTS, false));
  }

  private Client add(Client client) {
    clients.add(client);
    return client;
  }

  /** Closes {@code client} and starts it again on the same profile, offline. */
  Client restart(Client client) {
    client.close();
    return client(client.name.value());
  }

  /** Runs whatever is ready, and what that posts, until nothing is. */
  void run() {
    loop.runUntilIdle();
  }

  /** Moves the clock on by {@code by}, running every timer as its time comes. */
  void advance(Duration by) {
    loop.advance(by);
  }

  /** The time on the loop's clock. */
  Duration now() {
    return Duration.ofNanos(loop.nanoTime());
  }

  @Override
  public void close() {
    clients.forEach(Client::close);
    loop.close();
  }
}
