package dev.parley.server.directory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.Base64Url;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The directory in a SQL database over JDBC: SQLite or PostgreSQL, chosen by the URL. */
public final class JdbcDirectory implements Directory {
  private static final Logger log = LoggerFactory.getLogger(JdbcDirectory.class);

  /**
   * Write-ahead logging with NORMAL sync: a commit is a write to the log, not an fsync (durable
   * across a process crash; the last commits may be lost on a power cut). Without it every login
   * was an fsync, about 10 ms. sqlite-jdbc reads pragmas from the URL's query.
   */
  static final String SQLITE_PRAGMAS = "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000";

  private static final String SELECT_USER =
      "SELECT name, public_key, created_at, last_seen_at FROM users WHERE name_key = ?";

  private final HikariDataSource dataSource;
  private final String serverId;
  private final WriteFailures writes;

  private JdbcDirectory(HikariDataSource dataSource, SqlDialect dialect, WriteFailures writes) {
    this.dataSource = dataSource;
    this.writes = writes;
    try (Connection connection = dataSource.getConnection()) {
      Migrations.apply(connection, dialect);
      this.serverId = loadOrCreateServerId(connection);
    } catch (SQLException e) {
      dataSource.close();
      throw new DirectoryException("cannot prepare the directory database", e);
    }
  }

  /** The embedded default: a SQLite file {@code parley.db} in {@code dataDirectory}. */
  public static JdbcDirectory sqlite(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
    } catch (java.io.IOException e) {
      throw new DirectoryException("cannot create the data directory " + dataDirectory, e);
    }
    WriteFailures writes =
        new WriteFailures("the disk that holds the data directory " + dataDirectory, dataDirectory);
    try {
      return open(
          "jdbc:sqlite:" + sqliteFile(dataDirectory) + "?" + SQLITE_PRAGMAS, null, null, writes);
    } catch (RuntimeException e) {
      if (writes.isFull(e)) {
        throw DirectoryException.diskFull(
            "the disk that holds the data directory "
                + dataDirectory
                + " is full, so the database there cannot be opened; make room and start again"
                + " (nothing stored is lost)",
            e);
      }
      throw e;
    }
  }

  /** The file of the embedded database in {@code dataDirectory}. */
  public static Path sqliteFile(Path dataDirectory) {
    return dataDirectory.resolve("parley.db");
  }

  /**
   * Opens the directory at a JDBC URL ({@code jdbc:sqlite:FILE} or {@code
   * jdbc:postgresql://HOST:PORT/DB}), migrating its schema to the current version.
   */
  public static JdbcDirectory open(
      String jdbcUrl, @Nullable String user, @Nullable String password) {
    return open(
        jdbcUrl, user, password, new WriteFailures("the disk of the directory's database", null));
  }

  private static JdbcDirectory open(
      String jdbcUrl, @Nullable String user, @Nullable String password, WriteFailures writes) {
    SqlDialect dialect = SqlDialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("directory");
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (dialect == SqlDialect.SQLITE) {
      // One writer at a time is SQLite's nature; one connection makes that explicit and lock-free.
      config.setMaximumPoolSize(1);
    } else {
      config.setMaximumPoolSize(8);
    }
    // A database that does not answer fails a login in 5 s, with internal_error, not later.
    config.setConnectionTimeout(5_000);
    return new JdbcDirectory(new HikariDataSource(config), dialect, writes);
  }

  @Override
  public Claim claim(UserName name, IdentityKey key, Instant now, Admission admission) {
    long millis = now.toEpochMilli();
    Instant stored = Instant.ofEpochMilli(millis); // what a later read gives back
    try (Connection connection = dataSource.getConnection()) {
      // A login of a known name, the usual case, costs this read and the touch below.
      Optional<User> known = select(connection, name);
      if (known.isEmpty()) {
        if (register(connection, name, key, millis, admission)) {
          return new Claim(new User(name, key, stored, stored), true);
        }
        // Registered by someone else between our read and our insert: theirs it is.
        known = select(connection, name);
      }
      User user =
          known.orElseThrow(
              () -> new IllegalStateException("user " + name + " vanished while it was claimed"));
      if (!user.publicKey().equals(key)) {
        throw new NameTakenException(name);
      }
      // The read proved the name; a touch that cannot be written (a full disk) does not undo that.
      Instant lastSeen = touched(connection, name, millis) ? stored : user.lastSeen();
      return new Claim(new User(user.name(), user.publicKey(), user.created(), lastSeen), false);
    } catch (SQLException e) {
      throw new DirectoryException("cannot claim the name " + name, e);
    }
  }

  /**
   * Registers the free {@code name} for {@code key} if {@code admission} lets it; false if the name
   * was taken meanwhile.
   *
   * @throws StorageFullException if there is no room for it
   */
  private boolean register(
      Connection connection, UserName name, IdentityKey key, long millis, Admission admission)
      throws SQLException {
    Optional<String> invite = admission.admit(name);
    try {
      boolean registered =
          invite.isPresent()
              ? insertInvited(connection, name, key, millis, invite.get())
              : insert(connection, name, key, millis);
      writes.succeeded(true);
      return registered;
    } catch (SQLException e) {
      if (writes.failed("registering " + name, e)) {
        admission.notUsed(name);
        throw new StorageFullException();
      }
      throw e;
    }
  }

  /** Registers {@code name} for {@code key}; false if the name was taken meanwhile. */
  private static boolean insert(Connection connection, UserName name, IdentityKey key, long millis)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO users (name_key, name, public_key, created_at, last_seen_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING")) {
      insert.setString(1, name.key());
      insert.setString(2, name.value());
      insert.setString(3, key.encoded());
      insert.setLong(4, millis);
      insert.setLong(5, millis);
      return insert.executeUpdate() == 1;
    }
  }

  /**
   * Registers {@code name} and uses up the invite in one transaction; false, the invite untouched,
   * if the name was taken meanwhile. The name comes first: on PostgreSQL a racing insert of the
   * same name waits for ours to end, and a racing use of the same invite waits on its row, then
   * finds it used.
   */
  private static boolean insertInvited(
      Connection connection, UserName name, IdentityKey key, long millis, String codeHash)
      throws SQLException {
    connection.setAutoCommit(false);
    boolean registered;
    try {
      registered = insert(connection, name, key, millis);
      if (registered && !useInvite(connection, codeHash, name, millis)) {
        throw new InviteInvalidException();
      }
      if (registered) {
        connection.commit();
      } else {
        connection.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      abandon(connection, e);
      throw e;
    }
    restoreAutoCommit(connection);
    return registered;
  }

  /**
   * Ends a transaction after {@code failure}, which stays what the caller sees (SQLITE_FULL, say):
   * rolls back and returns to one transaction per statement. SQLite may have rolled back by itself
   * already, so what fails now is part of the same story, added to {@code failure}, not logged.
   */
  private static void abandon(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Back to one transaction per statement; if even that fails, the pool finds the connection broken
   * when it is handed back, and drops it.
   */
  private static void restoreAutoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      log.warn("Could not end a transaction of the directory cleanly: {}", e.toString());
    }
  }

  private static boolean useInvite(
      Connection connection, String codeHash, UserName name, long millis) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE invites SET used_at = ?, used_by = ? "
                + "WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")) {
      update.setLong(1, millis);
      update.setString(2, name.key());
      update.setString(3, codeHash);
      update.setLong(4, millis);
      return update.executeUpdate() == 1;
    }
  }

  @Override
  public void addInvites(List<Invite> invites) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO invites (code_hash, created_at, expires_at) VALUES (?, ?, ?)")) {
        for (Invite invite : invites) {
          insert.setString(1, invite.codeHash());
          insert.setLong(2, invite.created().toEpochMilli());
          insert.setLong(3, invite.expires().toEpochMilli());
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        abandon(connection, e);
        throw e;
      }
      restoreAutoCommit(connection);
    } catch (SQLException | RuntimeException e) {
      if (writes.isFull(e)) {
        throw DirectoryException.diskFull(
            writes.disk() + " is full, so no invite codes were made; make room and try again", e);
      }
      if (e instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new DirectoryException("cannot store the invites", e);
    }
  }

  @Override
  public List<Invite> openInvites(Instant now) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT code_hash, created_at, expires_at FROM invites "
                    + "WHERE used_at IS NULL AND expires_at > ? ORDER BY expires_at, code_hash")) {
      select.setLong(1, now.toEpochMilli());
      List<Invite> open = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          open.add(
              new Invite(
                  rows.getString(1),
                  Instant.ofEpochMilli(rows.getLong(2)),
                  Instant.ofEpochMilli(rows.getLong(3))));
        }
      }
      return open;
    } catch (SQLException e) {
      throw new DirectoryException("cannot list the invites", e);
    }
  }

  @Override
  public Optional<User> find(UserName name) {
    try (Connection connection = dataSource.getConnection()) {
      return select(connection, name);
    } catch (SQLException e) {
      throw new DirectoryException("cannot look up " + name, e);
    }
  }

  @Override
  public void touch(UserName name, Instant when) {
    try (Connection connection = dataSource.getConnection()) {
      touched(connection, name, when.toEpochMilli());
    } catch (SQLException e) {
      throw new DirectoryException("cannot record when " + name + " was last seen", e);
    }
  }

  @Override
  public boolean full() {
    return writes.full();
  }

  @Override
  public long count() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM users");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new DirectoryException("cannot count the users", e);
    }
  }

  @Override
  public String serverId() {
    return serverId;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static Optional<User> select(Connection connection, UserName name) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_USER)) {
      select.setString(1, name.key());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new User(
                new UserName(rows.getString(1)),
                new IdentityKey(rows.getString(2)),
                Instant.ofEpochMilli(rows.getLong(3)),
                Instant.ofEpochMilli(rows.getLong(4))));
      }
    }
  }

  /** Records when {@code name} was last seen; false, and told to {@link #writes}, if it cannot. */
  private boolean touched(Connection connection, UserName name, long millis) {
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE users SET last_seen_at = ? WHERE name_key = ?")) {
      update.setLong(1, millis);
      update.setString(2, name.key());
      update.executeUpdate();
      writes.succeeded(false);
      return true;
    } catch (SQLException e) {
      var unused = writes.failed("recording when " + name + " was last seen", e);
      return false;
    }
  }

  /** The deployment's id: random on first start, then read back (shared by all nodes). */
  private static String loadOrCreateServerId(Connection connection) throws SQLException {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO parley_meta (meta_key, meta_value) VALUES ('server_id', ?) "
                + "ON CONFLICT (meta_key) DO NOTHING")) {
      insert.setString(1, Base64Url.encode(random));
      insert.executeUpdate();
    }
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT meta_value FROM parley_meta WHERE meta_key = 'server_id'");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getString(1);
    }
  }
}
