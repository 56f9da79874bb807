package dev.parley.client.profile;

import dev.parley.client.trust.KeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A user's profile directory: {@code identity.key} (the Ed25519 key pair, created on first use,
 * readable by the owner only), {@code parley.db} (pinned keys, history, outbox) and {@code files/}
 * (files received). One process at a time: a second one is refused with a clear message.
 */
public final class Profile implements AutoCloseable {
  private static final String IDENTITY = "identity.key";

  private final Path dir;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final Identity identity;
  private final Store store;
  private final KeyPins pins;

  private Profile(Path dir, FileChannel lockFile, FileLock lock, Identity identity, Store store) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.lock = lock;
    this.identity = identity;
    this.store = store;
    this.pins = new StoredKeyPins(store);
  }

  /**
   * The default profile of {@code name} on the server at {@code server}: one per name and server,
   * so that two people can try Parley on one machine, under {@link #home}.
   */
  public static Path defaultDir(URI server, UserName name) {
    String host = server.getHost() == null ? "local" : server.getHost();
    int port = server.getPort();
    String where = (port == -1 ? host : host + "-" + port).toLowerCase(Locale.ROOT);
    return home(System.getenv(), System.getProperty("user.home"))
        .resolve("profiles")
        .resolve(where)
        .resolve(name.key());
  }

  /**
   * Where profiles live: {@code $XDG_DATA_HOME/parley} where that is set, else {@code
   * $HOME/.parley} (the JVM's {@code user.home} when {@code HOME} is unset). The environment wins
   * over the JVM's idea of the home directory, as it does for every other program: {@code HOME=/x
   * parley chat} keeps its profile under /x. Profiles made before in {@code $HOME/.parley} are kept
   * there when the XDG directory has none yet, so that nobody loses their identity key.
   */
  static Path home(Map<String, String> env, String userHome) {
    String homeVariable = env.get("HOME");
    Path home = Path.of(homeVariable != null && !homeVariable.isBlank() ? homeVariable : userHome);
    Path classic = home.resolve(".parley");
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg == null || xdg.isBlank() || !Path.of(xdg).isAbsolute()) {
      return classic;
    }
    Path data = Path.of(xdg).resolve("parley");
    return Files.isDirectory(classic.resolve("profiles")) && !Files.isDirectory(data)
        ? classic
        : data;
  }

  /**
   * Opens (or creates) the profile in {@code dir}.
   *
   * @throws ProfileException if it is in use by another process or cannot be read or created
   */
  public static Profile open(Path dir) {
    FileChannel lockFile = null;
    try {
      Files.createDirectories(dir);
      restrict(dir, "rwx------");
      lockFile =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockFile.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock == null) {
        throw new ProfileException(
            "the profile "
                + dir
                + " is in use by another Parley process; stop it or use --profile");
      }
      Identity identity = identity(dir.resolve(IDENTITY));
      Files.createDirectories(dir.resolve("files"));
      Store store = Store.open(dir.resolve("parley.db"));
      return new Profile(dir, lockFile, lock, identity, store);
    } catch (IOException e) {
      closeQuietly(lockFile);
      throw new ProfileException("cannot open the profile " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(lockFile);
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public Identity identity() {
    return identity;
  }

  public Store store() {
    return store;
  }

  /** The peers' pinned keys, kept in the database. */
  public KeyPins pins() {
    return pins;
  }

  /** Where received files are saved unless the client is told otherwise. */
  public Path files() {
    return dir.resolve("files");
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      try {
        lock.release();
      } catch (IOException e) {
        // released with the channel below anyway
      }
      closeQuietly(lockFile);
    }
  }

  /** Reads the key pair, or creates it on first use (written to a new file, owner-only). */
  private static Identity identity(Path file) throws IOException {
    if (!Files.exists(file)) {
      Identity fresh = Identity.generate();
      String text =
          "# Parley identity key (Ed25519). Keep it secret; it is who you are.\n"
              + "public="
              + fresh.publicKey().encoded()
              + "\nprivate="
              + Base64.getEncoder().encodeToString(fresh.privateKey().getEncoded())
              + "\n";
      Path tmp = file.resolveSibling(IDENTITY + ".new");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp);
      restrict(tmp, "rw-------");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file);
      } catch (FileAlreadyExistsException e) {
        Files.delete(tmp);
      }
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    try {
      IdentityKey publicKey =
          new IdentityKey(Optional.ofNullable(p.getProperty("public")).orElseThrow());
      PrivateKey privateKey =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      Base64.getDecoder()
                          .decode(Optional.ofNullable(p.getProperty("private")).orElseThrow())));
      Identity identity = new Identity(publicKey, privateKey);
      byte[] probe = "parley-identity-check".getBytes(StandardCharsets.UTF_8);
      if (!publicKey.verifies(probe, identity.sign(probe))) {
        throw new ProfileException(file + " is damaged: its public and private keys do not match");
      }
      return identity;
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof ProfileException pe) {
        throw pe;
      }
      throw new ProfileException(file + " is not a readable Parley identity key: " + e, e);
    }
  }

  /**
   * Deletes a closed profile and all it holds, its identity key included: only for one that was
   * never used, such as one made for a first login that failed.
   */
  public static void delete(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new ProfileException("cannot delete the unused profile in " + dir, e);
    }
  }

  private static void restrict(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the platform's defaults apply
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }
}
