package dev.parley.client.profile;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A profile's SQLite database: pinned keys (each verified by the user or not), and every
 * conversation's entries (history and outbox are one table: the outbox is our entries still
 * {@linkplain Delivery#pending() pending}). One connection, used under this object's lock; every
 * write is committed before the method returns (WAL, synchronous NORMAL: it survives the process
 * crashing), or with the others of its {@linkplain #inTransaction transaction} before that returns,
 * so an acknowledgement is only sent for what is stored.
 */
public final class Store implements AutoCloseable {
  /** The schema this code writes; {@link #migrate} brings an older profile up to it. */
  static final int SCHEMA = 5;

  /**
   * Below this many free bytes an I/O error of SQLite's is taken for a full disk: SQLite reports a
   * full disk as {@code SQLITE_FULL} when a write finds no room, but as an I/O error when the
   * shared memory file (-shm) cannot grow.
   */
  private static final long NEARLY_FULL = 1 << 20;

  private final Connection db;
  private final Path file;
  private long transactions;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private Store(Connection db, Path file) {
    this.db = db;
    this.file = file;
  }

  static Store open(Path file) {
    try {
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        // In WAL mode, NORMAL survives any crash of the process (a commit is in the OS once it
        // returns); only a crash of the machine itself may lose the last commits. FULL would add
        // an fsync to every message, several milliseconds each on ordinary disks.
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
          version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA) {
          db.close();
          throw new ProfileException(
              file + " was written by a newer Parley (schema " + version + "); update Parley");
        }
        if (version < SCHEMA) {
          migrate(db, version);
        }
      }
      return new Store(db, file);
    } catch (SQLException e) {
      throw new ProfileException(
          "cannot open the profile database " + file + ": " + explain(e, file), e);
    }
  }

  /**
   * Brings the schema from {@code version} (0: a new file) to {@link #SCHEMA}, in one transaction
   * with the new version number, so that a crash halfway leaves the profile as it was. Each step
   * keeps what the profile holds: a profile from any earlier Parley opens with its pins, history
   * and outbox.
   */
  private static void migrate(Connection db, int version) throws SQLException {
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      if (version < 1) {
        s.execute(
            "CREATE TABLE pins (name TEXT PRIMARY KEY, spelling TEXT NOT NULL,"
                + " key TEXT NOT NULL, pinned_at INTEGER NOT NULL)");
        s.execute(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " peer TEXT NOT NULL, spelling TEXT NOT NULL, id TEXT NOT NULL,"
                + " outgoing INTEGER NOT NULL, ts INTEGER NOT NULL, text TEXT NOT NULL,"
                + " file_size INTEGER, file_sha256 TEXT, file_mime TEXT, file_path TEXT,"
                + " state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',"
                + " UNIQUE (peer, id, outgoing))");
        s.execute("CREATE INDEX entries_pending ON entries (state) WHERE state IN (0, 1)");
      }
      if (version < 2) {
        // Whether the user marked the pinned key as verified; every earlier pin is not.
        s.execute("ALTER TABLE pins ADD COLUMN verified INTEGER NOT NULL DEFAULT 0");
      }
      if (version < 3) {
        // Whether a received entry was shown to the user (ChatListener.showsReceived); every
        // earlier entry counts as shown, so that an upgrade does not show old history again.
        s.execute("ALTER TABLE entries ADD COLUMN shown INTEGER NOT NULL DEFAULT 1");
        s.execute("CREATE INDEX entries_unshown ON entries (seq) WHERE shown = 0");
      }
      if (version < 4) {
        GroupStore.createTables(s);
      }
      if (version < 5) {
        GroupStore.createFileTable(s);
      }
      s.execute("PRAGMA user_version=" + SCHEMA);
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  // --- pinned keys

  public synchronized Optional<IdentityKey> pinned(UserName name) {
    return query(
        "SELECT key FROM pins WHERE name = ?",
        ps -> ps.setString(1, name.key()),
        rs -> new IdentityKey(rs.getString(1)));
  }

  /** Pins {@code key} unless a key is pinned for {@code name}; returns the pinned key. */
  public synchronized IdentityKey pinIfAbsent(UserName name, IdentityKey key) {
    update(
        "INSERT OR IGNORE INTO pins (name, spelling, key, pinned_at) VALUES (?, ?, ?, ?)",
        ps -> {
          ps.setString(1, name.key());
          ps.setString(2, name.value());
          ps.setString(3, key.encoded());
          ps.setLong(4, System.currentTimeMillis());
        });
    return pinned(name).orElseThrow();
  }

  /**
   * Pins {@code key} in place of whatever is pinned for {@code name}; the verified mark stays only
   * if the key is the same.
   */
  public synchronized void pin(UserName name, IdentityKey key) {
    update(
        "INSERT INTO pins (name, spelling, key, pinned_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET key = excluded.key,"
            + " pinned_at = excluded.pinned_at,"
            + " verified = (pins.verified AND pins.key = excluded.key)",
        ps -> {
          ps.setString(1, name.key());
          ps.setString(2, name.value());
          ps.setString(3, key.encoded());
          ps.setLong(4, System.currentTimeMillis());
        });
  }

  public synchronized boolean isVerified(UserName name) {
    return query(
            "SELECT verified FROM pins WHERE name = ?",
            ps -> ps.setString(1, name.key()),
            rs -> rs.getInt(1) == 1)
        .orElse(false);
  }

  /** Marks {@code key} as verified if it is the key pinned for {@code name}; returns whether. */
  public synchronized boolean markVerified(UserName name, IdentityKey key) {
    return update(
            "UPDATE pins SET verified = 1 WHERE name = ? AND key = ?",
            ps -> {
              ps.setString(1, name.key());
              ps.setString(2, key.encoded());
            })
        > 0;
  }

  /** Takes back the verified mark of {@code name}'s pin; returns whether there was one. */
  public synchronized boolean unmarkVerified(UserName name) {
    return update(
            "UPDATE pins SET verified = 0 WHERE name = ? AND verified = 1",
            ps -> ps.setString(1, name.key()))
        > 0;
  }

  // --- entries

  /**
   * Stores an entry and returns it with its sequence number, or empty if the history already has
   * one with the same peer, id and direction (a duplicate). One write, nothing read back.
   */
  public synchronized Optional<Entry> add(Entry entry) {
    return query(
        "INSERT OR IGNORE INTO entries (peer, spelling, id, outgoing, ts, text, file_size,"
            + " file_sha256, file_mime, file_path, state, detail, shown)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        ps -> {
          ps.setString(1, entry.peer().key());
          ps.setString(2, entry.peer().value());
          ps.setString(3, entry.id());
          ps.setInt(4, entry.outgoing() ? 1 : 0);
          ps.setLong(5, entry.ts());
          ps.setString(6, entry.text());
          Entry.FileInfo file = entry.file();
          if (file != null) {
            ps.setLong(7, file.size());
            ps.setString(8, file.sha256());
            ps.setString(9, file.mime());
            ps.setString(10, file.path().toString());
          } else {
            for (int i = 7; i <= 10; i++) {
              ps.setObject(i, null);
            }
          }
          ps.setInt(11, entry.state().stored);
          ps.setString(12, entry.detail());
          ps.setInt(13, entry.outgoing() ? 1 : 0); // ours need no showing; theirs, not yet shown
        },
        rs ->
            new Entry(
                rs.getLong(1),
                entry.peer(),
                entry.id(),
                entry.outgoing(),
                entry.ts(),
                entry.text(),
                entry.file(),
                entry.state(),
                entry.detail()));
  }

  public synchronized Optional<Entry> find(UserName peer, String id, boolean outgoing) {
    return query(
        "SELECT * FROM entries WHERE peer = ? AND id = ? AND outgoing = ?",
        ps -> {
          ps.setString(1, peer.key());
          ps.setString(2, id);
          ps.setInt(3, outgoing ? 1 : 0);
        },
        Store::entry);
  }

  /** Moves our entry {@code id} to {@code state}; returns it updated, if there is one. */
  public synchronized Optional<Entry> setState(
      UserName peer, String id, Delivery state, String detail) {
    int changed =
        update(
            "UPDATE entries SET state = ?, detail = ? WHERE peer = ? AND id = ? AND outgoing = 1",
            ps -> {
              ps.setInt(1, state.stored);
              ps.setString(2, detail);
              ps.setString(3, peer.key());
              ps.setString(4, id);
            });
    return changed == 0 ? Optional.empty() : find(peer, id, true);
  }

  /**
   * Moves our entry {@code id}, if it is still {@linkplain Delivery#pending() pending}, to {@code
   * state}; returns whether it was. One write, nothing read back.
   */
  public synchronized boolean settle(UserName peer, String id, Delivery state, String detail) {
    return update(
            "UPDATE entries SET state = ?, detail = ?"
                + " WHERE peer = ? AND id = ? AND outgoing = 1 AND state IN (0, 1)",
            ps -> {
              ps.setInt(1, state.stored);
              ps.setString(2, detail);
              ps.setString(3, peer.key());
              ps.setString(4, id);
            })
        > 0;
  }

  /** Remembers that received {@code entry} was shown to the user. One write. */
  public synchronized void markShown(Entry entry) {
    update("UPDATE entries SET shown = 1 WHERE seq = ?", ps -> ps.setLong(1, entry.seq()));
  }

  /** The received entries stored but not {@linkplain #markShown shown} yet, oldest first. */
  public synchronized List<Entry> unshown() {
    return list("SELECT * FROM entries WHERE shown = 0 ORDER BY seq", ps -> {});
  }

  /** Our entries still to be sent or acknowledged, to everyone, oldest first. */
  public synchronized List<Entry> outbox() {
    return list(
        "SELECT * FROM entries WHERE outgoing = 1 AND state IN (0, 1) ORDER BY seq", ps -> {});
  }

  /** Our entries to {@code peer} still to be sent or acknowledged, oldest first. */
  public synchronized List<Entry> outbox(UserName peer) {
    return list(
        "SELECT * FROM entries WHERE peer = ? AND outgoing = 1 AND state IN (0, 1) ORDER BY seq",
        ps -> ps.setString(1, peer.key()));
  }

  /** Everyone we have something pending for. */
  public synchronized Set<UserName> outboxPeers() {
    Set<UserName> peers = new LinkedHashSet<>();
    for (Entry e : outbox()) {
      peers.add(e.peer());
    }
    return peers;
  }

  /** The last {@code limit} entries of the conversation with {@code peer}, oldest first. */
  public synchronized List<Entry> history(UserName peer, int limit) {
    List<Entry> newestFirst =
        list(
            "SELECT * FROM entries WHERE peer = ? ORDER BY seq DESC LIMIT ?",
            ps -> {
              ps.setString(1, peer.key());
              ps.setInt(2, limit);
            });
    List<Entry> result = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(result);
    return result;
  }

  /** Everyone we have a conversation with, most recent first. */
  public synchronized List<UserName> conversations() {
    List<UserName> peers = new ArrayList<>();
    query(
        "SELECT spelling FROM entries e WHERE seq = (SELECT max(seq) FROM entries WHERE peer ="
            + " e.peer) ORDER BY seq DESC",
        ps -> {},
        rs -> {
          do {
            peers.add(new UserName(rs.getString(1)));
          } while (rs.next());
          return peers;
        });
    return peers;
  }

  /**
   * A write through this store's kept statements, for the tables of another class of this package;
   * inside a {@linkplain #inTransaction transaction}, part of it. Returns the rows changed.
   */
  synchronized int write(String sql, Binder binder) {
    return update(sql, binder);
  }

  /** Work on the database under this store's lock, for the tables of another class. */
  interface Work<T> {
    T run(Connection db) throws SQLException;
  }

  /** Runs {@code work} on the connection under this store's lock; its failure is a profile's. */
  synchronized <T> T with(Work<T> work) {
    try {
      return work.run(db);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /**
   * Runs {@code work}, whose writes to this store are then committed together: all of them or, if
   * one fails or the commit does, none. A group commit: one commit, not one per write, and nothing
   * written is on disk before the commit returns, so what depends on the writes (an
   * acknowledgement) comes after this method. Inside another transaction, {@code work} simply joins
   * it. Other threads wait for the store meanwhile, so {@code work} only writes.
   *
   * @throws ProfileException if a write or the commit failed; nothing of {@code work}'s is stored
   */
  public synchronized void inTransaction(Runnable work) {
    try {
      if (!db.getAutoCommit()) {
        work.run();
        return;
      }
      db.setAutoCommit(false);
    } catch (SQLException e) {
      throw failure(e);
    }
    boolean committed = false;
    try {
      work.run();
      db.commit();
      committed = true;
      transactions++;
    } catch (SQLException e) {
      throw failure(e);
    } finally {
      try {
        if (!committed) {
          db.rollback();
        }
        db.setAutoCommit(true);
      } catch (SQLException e) {
        // The transaction is gone with the failure that ends it; the next write starts afresh.
      }
    }
  }

  /** How many {@linkplain #inTransaction transactions} this store has committed since it opened. */
  public synchronized long transactions() {
    return transactions;
  }

  /**
   * How many rows this store has inserted, updated or deleted since it opened (SQLite's {@code
   * total_changes()}): what tests count to hold the number of writes a message costs.
   */
  public synchronized long changes() {
    return query("SELECT total_changes()", ps -> {}, rs -> rs.getLong(1)).orElseThrow();
  }

  @Override
  public synchronized void close() {
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      statements.clear();
      db.close();
    } catch (SQLException e) {
      throw new ProfileException("cannot close the profile database: " + e, e);
    }
  }

  private ProfileException failure(SQLException e) {
    return new ProfileException(
        isDiskFull(e, file) ? explain(e, file) : "the profile database failed: " + e.getMessage(),
        e);
  }

  /** What went wrong, in words: a full disk says so and where, anything else as SQLite said. */
  private static String explain(SQLException e, Path file) {
    if (!isDiskFull(e, file)) {
      return e.toString();
    }
    Path directory = file.toAbsolutePath().getParent();
    return "the disk that holds the profile ("
        + directory
        + ") is full; nothing new can be stored until there is room, and what is stored is kept";
  }

  private static boolean isDiskFull(SQLException e, Path file) {
    if (!(e instanceof SQLiteException sqlite)) {
      return false;
    }
    if (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
      return true;
    }
    if (!sqlite.getResultCode().name().startsWith("SQLITE_IOERR")) {
      return false;
    }
    try {
      Path directory = file.toAbsolutePath().getParent();
      return directory != null && Files.getFileStore(directory).getUsableSpace() < NEARLY_FULL;
    } catch (IOException unknown) {
      return false;
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    String path = rs.getString("file_path");
    Entry.FileInfo file =
        path == null
            ? null
            : new Entry.FileInfo(
                rs.getLong("file_size"),
                rs.getString("file_sha256"),
                rs.getString("file_mime"),
                Path.of(path));
    return new Entry(
        rs.getLong("seq"),
        new UserName(rs.getString("spelling")),
        rs.getString("id"),
        rs.getInt("outgoing") == 1,
        rs.getLong("ts"),
        rs.getString("text"),
        file,
        Delivery.stored(rs.getInt("state")),
        rs.getString("detail"));
  }

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The statement for {@code sql}, prepared once and kept: preparing is most of what a small write
   * costs inside a transaction (about 15 µs of 20 here).
   */
  private PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = db.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private int update(String sql, Binder binder) {
    try {
      PreparedStatement ps = prepared(sql);
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private <T> Optional<T> query(String sql, Binder binder, Reader<T> reader) {
    try {
      PreparedStatement ps = prepared(sql);
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private List<Entry> list(String sql, Binder binder) {
    List<Entry> entries = new ArrayList<>();
    try {
      PreparedStatement ps = prepared(sql);
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(entry(rs));
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return entries;
  }
}
