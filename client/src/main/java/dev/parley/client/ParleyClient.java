package dev.parley.client;

import dev.parley.client.chat.ChatListener;
import dev.parley.client.chat.GroupChats;
import dev.parley.client.chat.Messenger;
import dev.parley.client.link.LinkPath;
import dev.parley.client.link.PeerLink;
import dev.parley.client.link.WebRtc;
import dev.parley.client.link.WebRtcLinks;
import dev.parley.client.loop.ThreadLoop;
import dev.parley.client.profile.Entry;
import dev.parley.client.profile.Profile;
import dev.parley.client.server.ServerSession;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One user's Parley client: a profile on disk (identity key, pinned keys, history, outbox), a
 * session with the server that reconnects by itself, and the direct, verified links over which
 * messages and files travel (docs/p2p.md).
 *
 * <pre>{@code
 * try (ParleyClient alice = ParleyClient.builder(ServerAddress.parse("localhost:8080"),
 *         new UserName("alice")).listener(myListener).connect()) {
 *   alice.send(new UserName("bob"), "hello").delivered().join();
 * }
 * }</pre>
 *
 * Closing it hangs up every link, says goodbye to the server, and disposes the native WebRTC engine
 * (which otherwise keeps the JVM alive), then closes the profile.
 *
 * <p>All of a client's state belongs to one thread, its event loop ({@code parley-client}); see
 * docs/client.md, "Threads".
 */
public final class ParleyClient implements AutoCloseable {
  private final Profile profile;
  private final ServerSession session;
  private final WebRtc webRtc;
  private final Messenger messenger;
  private final ThreadLoop loop;

  private ParleyClient(
      Profile profile, ServerSession session, WebRtc webRtc, Messenger messenger, ThreadLoop loop) {
    this.profile = profile;
    this.session = session;
    this.webRtc = webRtc;
    this.messenger = messenger;
    this.loop = loop;
  }

  /** A client of the server at {@code server} (a WebSocket URI, see {@link ServerAddress}). */
  public static Builder builder(URI server, UserName name) {
    return new Builder(server, name);
  }

  /** How to build a client; only the server and the name are required. */
  public static final class Builder {
    private final URI server;
    private final UserName name;
    private @Nullable Path profile;
    private @Nullable Path downloads;
    private ChatListener listener = new ChatListener() {};
    private Messenger.Options options = Messenger.Options.DEFAULTS;
    private Duration firstRetry = Duration.ofMillis(500);
    private Duration maxRetry = Duration.ofSeconds(30);
    private @Nullable InviteCode invite;

    private Builder(URI server, UserName name) {
      this.server = server;
      this.name = name;
    }

    /** The profile directory; by default {@link Profile#defaultDir}. */
    public Builder profile(Path dir) {
      this.profile = dir;
      return this;
    }

    /** Where received files are saved; by default the profile's {@code files} directory. */
    public Builder downloads(Path dir) {
      this.downloads = dir;
      return this;
    }

    public Builder listener(ChatListener listener) {
      this.listener = listener;
      return this;
    }

    /** Tunables of the conversations; replaces an earlier {@link #presenceGrace}. */
    public Builder options(Messenger.Options options) {
      this.options = options;
      return this;
    }

    /**
     * How long a peer may be gone from the server before the listener hears that they {@linkplain
     * ChatListener#left left}: one who comes back with the same key within it (a reconnect, theirs
     * or ours) was never gone as far as the user is told. By default 5 s; zero reports every leave
     * at once.
     */
    public Builder presenceGrace(Duration grace) {
      this.options = options.withPresenceGrace(grace);
      return this;
    }

    /**
     * The invite code to register the name with, on a server that takes new names by invitation
     * only; the server ignores it for a name already registered.
     */
    public Builder invite(InviteCode code) {
      this.invite = code;
      return this;
    }

    /** The first and the longest wait between attempts to reconnect to the server. */
    public Builder reconnect(Duration first, Duration max) {
      this.firstRetry = first;
      this.maxRetry = max;
      return this;
    }

    /**
     * Opens the profile, starts WebRTC, logs in, and sends whatever the outbox holds for whoever is
     * online.
     *
     * @throws dev.parley.client.profile.ProfileException if the profile is in use or unreadable
     * @throws dev.parley.client.server.NameTakenException if the name belongs to another key
     * @throws dev.parley.client.server.LoginFailedException if the server is unreachable or refuses
     *     the login (its code says why: {@code invite_required} for a new name without an {@link
     *     #invite}, say)
     */
    public ParleyClient connect() {
      Path dir = profile != null ? profile : Profile.defaultDir(server, name);
      boolean fresh = !Files.exists(dir);
      Profile opened = Profile.open(dir);
      ServerSession session = null;
      WebRtc webRtc = null;
      ThreadLoop loop = null;
      try {
        session = new ServerSession(server, name, opened.identity(), firstRetry, maxRetry);
        if (invite != null) {
          session.invite(invite);
        }
        webRtc = WebRtc.start();
        loop = new ThreadLoop("parley-client");
        ServerSession signaling = session;
        WebRtc engine = webRtc;
        ThreadLoop events = loop;
        Messenger messenger =
            new Messenger(
                session,
                links -> new WebRtcLinks(signaling, engine.factory(), opened.pins(), events, links),
                opened.pins(),
                opened.store(),
                downloads != null ? downloads : opened.files(),
                options,
                listener,
                loop);
        ParleyClient client = new ParleyClient(opened, session, webRtc, messenger, loop);
        session.login();
        return client;
      } catch (RuntimeException e) {
        if (session != null) {
          session.close();
        }
        if (loop != null) {
          loop.close();
        }
        if (webRtc != null) {
          webRtc.close();
        }
        opened.close();
        if (fresh) {
          // A first login that failed leaves no identity behind: the next try is a first one too.
          Profile.delete(dir);
        }
        throw e;
      }
    }
  }

  /** Our name as the server registered it. */
  public UserName name() {
    return session.name();
  }

  public IdentityKey publicKey() {
    return profile.identity().publicKey();
  }

  public Path profileDir() {
    return profile.dir();
  }

  public ServerState state() {
    return session.state();
  }

  /**
   * Who is online as the server says now; while reconnecting, who was online when the server went
   * away. It does not wait for the {@linkplain Builder#presenceGrace presence grace}: a peer whose
   * connection dropped is missing here at once, though the listener hears that they left only once
   * the grace has passed without them (and never, if they come back with the same key).
   *
   * <p>In {@linkplain PresenceMode#CONTACTS contacts} mode the server tells only of the names the
   * client watches: the people it has conversations with, and those {@linkplain #watch asked
   * about}.
   */
  public Set<UserName> online() {
    return session.online();
  }

  /**
   * Whom the server tells this client about, as its last welcome said: everyone online, or only the
   * names the client watches (docs/client.md, "Presence modes").
   */
  public PresenceMode presenceMode() {
    return session.presenceMode();
  }

  /**
   * Asks the server to tell when {@code peer} comes and goes, now and after every reconnect, as the
   * client does by itself for everyone it has a conversation with. Needed in contacts mode to see
   * whether someone is online before talking to them; harmless in everyone mode. Never blocks.
   *
   * @return whether {@code peer} is online, once the server has said (at once in everyone mode, if
   *     {@code peer} is watched already, or while the server is away)
   */
  public CompletableFuture<Boolean> watch(UserName peer) {
    return session.watch(List.of(peer)).thenApply(answered -> session.online().contains(peer));
  }

  /** The key pinned for {@code peer}, if we have met them. */
  public Optional<IdentityKey> pinnedKey(UserName peer) {
    return profile.pins().pinned(peer);
  }

  /** The key the server presents for {@code peer}, if they are online. */
  public Optional<IdentityKey> presentedKey(UserName peer) {
    return session.onlineKey(peer);
  }

  /** Sends {@code text} to {@code peer} now or, if they are offline, when they come back. */
  public Messenger.Sending send(UserName peer, String text) {
    return messenger.send(peer, text);
  }

  /** Sends a file to {@code peer} now or, if they are offline, when they come back. */
  public Messenger.Sending sendFile(UserName peer, Path file) throws IOException {
    return messenger.sendFile(peer, file);
  }

  /** The user is typing to {@code peer} ({@code true}) or stopped ({@code false}). */
  public void typing(UserName peer, boolean active) {
    messenger.typing(peer, active);
  }

  /**
   * The group conversations: create one, change its members, send to it, read it (docs/p2p.md,
   * "Groups"). What arrives comes to the listener ({@link dev.parley.client.group.GroupListener}).
   */
  public GroupChats groups() {
    return messenger.groups();
  }

  /** The last {@code limit} entries of the conversation with {@code peer}, oldest first. */
  public List<Entry> history(UserName peer, int limit) {
    return messenger.history(peer, limit);
  }

  /** Everyone we have a conversation with, most recent first. */
  public List<UserName> conversations() {
    return profile.store().conversations();
  }

  /** The safety number of us and {@code peer}, to compare out of band. */
  public Optional<String> safetyNumber(UserName peer) {
    return messenger.safetyNumber(peer);
  }

  /**
   * Accepts {@code peer}'s new key after a key change; the new key is not verified. See {@link
   * Messenger#acceptKey}.
   */
  public Optional<IdentityKey> acceptKey(UserName peer) {
    return messenger.acceptKey(peer);
  }

  /**
   * Whether the user marked the key pinned for {@code peer} as verified and the server presents no
   * other key for them (so never during a key change). A pinned key is trusted on first use, not
   * verified. See {@link Messenger#isVerified}.
   */
  public boolean isVerified(UserName peer) {
    return messenger.isVerified(peer);
  }

  /**
   * Marks the key pinned for {@code peer} as verified, once the user has compared its {@linkplain
   * #safetyNumber safety number} with theirs; kept in the profile until the key changes or the mark
   * is {@linkplain #unmarkVerified taken back}.
   *
   * @return the key marked, or empty if none is pinned for {@code peer} yet (never met)
   * @throws dev.parley.client.trust.KeyChangedException if the server presents another key for
   *     {@code peer}: it must be compared and {@linkplain #acceptKey accepted} first
   */
  public Optional<IdentityKey> markVerified(UserName peer) {
    return messenger.markVerified(peer);
  }

  /** Takes back the verified mark of {@code peer}'s key; returns whether there was one. */
  public boolean unmarkVerified(UserName peer) {
    return messenger.unmarkVerified(peer);
  }

  /** How the open link to {@code peer} goes; see {@link Messenger#path}. */
  public CompletableFuture<Optional<LinkPath>> path(UserName peer) {
    return messenger.path(peer);
  }

  /** Opens a link to {@code peer} ahead of the first message. */
  public void connect(UserName peer) {
    messenger.connect(peer);
  }

  /** The link to {@code peer}, opened if there is none (for tools and benchmarks). */
  public CompletableFuture<PeerLink> link(UserName peer) {
    return messenger.links().open(peer);
  }

  @Override
  public void close() {
    try {
      messenger.close();
      session.close();
      loop.close();
    } finally {
      try {
        webRtc.close();
      } finally {
        profile.close();
      }
    }
  }
}
