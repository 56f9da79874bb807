package dev.parley.client.profile;

import dev.parley.client.group.GroupId;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups' logs in the profile's database (schema 4): each entry as its JSON, in the order this
 * profile took it (parents first), whether a message was shown to the user, and how far each member
 * confirmed having our entries. Shares the {@link Store}'s connection and lock; every write is
 * committed before the method returns.
 */
public final class GroupStore {
  /** An entry as stored: its group, hash, JSON and whether it was shown. */
  public record Stored(GroupId group, String hash, String json, boolean shown) {}

  private final Store store;

  /** The group tables of {@code store}'s database. */
  public GroupStore(Store store) {
    this.store = store;
  }

  static void createTables(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE group_entries (stored INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " group_id TEXT NOT NULL, hash TEXT NOT NULL, entry TEXT NOT NULL,"
            + " shown INTEGER NOT NULL, UNIQUE (group_id, hash))");
    s.execute("CREATE INDEX group_entries_unshown ON group_entries (stored) WHERE shown = 0");
    s.execute(
        "CREATE TABLE group_delivery (group_id TEXT NOT NULL, member TEXT NOT NULL,"
            + " seq INTEGER NOT NULL, PRIMARY KEY (group_id, member))");
  }

  static void createFileTable(Statement s) throws SQLException {
    // Where the bytes of a group's file entry are, ours or fetched (docs/p2p.md, "Files in a
    // group").
    s.execute(
        "CREATE TABLE group_files (group_id TEXT NOT NULL, hash TEXT NOT NULL,"
            + " path TEXT NOT NULL, PRIMARY KEY (group_id, hash))");
  }

  /** Runs {@code work}, whose writes are committed together ({@link Store#inTransaction}). */
  public void inTransaction(Runnable work) {
    store.inTransaction(work);
  }

  /**
   * Stores an entry; {@code shown}: nothing is left to show of it. Returns false if the group holds
   * it already.
   */
  public boolean add(GroupId group, String hash, String json, boolean shown) {
    return store.write(
            "INSERT OR IGNORE INTO group_entries (group_id, hash, entry, shown)"
                + " VALUES (?, ?, ?, ?)",
            ps -> {
              ps.setString(1, group.value());
              ps.setString(2, hash);
              ps.setString(3, json);
              ps.setInt(4, shown ? 1 : 0);
            })
        > 0;
  }

  /** Replaces the stored form of an entry (a stub by the whole message). */
  public void replace(GroupId group, String hash, String json, boolean shown) {
    store.write(
        "UPDATE group_entries SET entry = ?, shown = ? WHERE group_id = ? AND hash = ?",
        ps -> {
          ps.setString(1, json);
          ps.setInt(2, shown ? 1 : 0);
          ps.setString(3, group.value());
          ps.setString(4, hash);
        });
  }

  public void markShown(GroupId group, String hash) {
    store.write(
        "UPDATE group_entries SET shown = 1 WHERE group_id = ? AND hash = ?",
        ps -> {
          ps.setString(1, group.value());
          ps.setString(2, hash);
        });
  }

  /** Every group's entries, per group in the order they were stored. */
  public Map<GroupId, List<Stored>> groups() {
    return store.with(
        db -> {
          Map<GroupId, List<Stored>> groups = new LinkedHashMap<>();
          try (Statement s = db.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT group_id, hash, entry, shown FROM group_entries ORDER BY stored")) {
            while (rs.next()) {
              GroupId group = new GroupId(rs.getString(1));
              groups
                  .computeIfAbsent(group, g -> new ArrayList<>())
                  .add(new Stored(group, rs.getString(2), rs.getString(3), rs.getInt(4) == 1));
            }
          }
          return groups;
        });
  }

  /** How far each member of {@code group} confirmed having our entries (our highest seq). */
  public Map<UserName, Long> delivered(GroupId group) {
    return store.with(
        db -> {
          Map<UserName, Long> delivered = new HashMap<>();
          try (PreparedStatement ps =
              db.prepareStatement("SELECT member, seq FROM group_delivery WHERE group_id = ?")) {
            ps.setString(1, group.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                delivered.put(new UserName(rs.getString(1)), rs.getLong(2));
              }
            }
          }
          return delivered;
        });
  }

  /** {@code member} confirmed having our entries of {@code group} up to {@code seq}. */
  public void setDelivered(GroupId group, UserName member, long seq) {
    store.write(
        "INSERT INTO group_delivery (group_id, member, seq) VALUES (?, ?, ?)"
            + " ON CONFLICT (group_id, member) DO UPDATE SET seq = max(seq, excluded.seq)",
        ps -> {
          ps.setString(1, group.value());
          ps.setString(2, member.key());
          ps.setLong(3, seq);
        });
  }

  /** The bytes of file entry {@code hash} are at {@code path}. */
  public void holdFile(GroupId group, String hash, Path path) {
    store.write(
        "INSERT OR REPLACE INTO group_files (group_id, hash, path) VALUES (?, ?, ?)",
        ps -> {
          ps.setString(1, group.value());
          ps.setString(2, hash);
          ps.setString(3, path.toString());
        });
  }

  /** Where the bytes of each file entry of {@code group} we hold are, by entry hash. */
  public Map<String, Path> files(GroupId group) {
    return store.with(
        db -> {
          Map<String, Path> files = new HashMap<>();
          try (PreparedStatement ps =
              db.prepareStatement("SELECT hash, path FROM group_files WHERE group_id = ?")) {
            ps.setString(1, group.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                files.put(rs.getString(1), Path.of(rs.getString(2)));
              }
            }
          }
          return files;
        });
  }
}
