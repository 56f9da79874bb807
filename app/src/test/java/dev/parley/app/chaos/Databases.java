package dev.parley.app.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * What a chaos test reads in the SQLite files Parley left: SQLite's own integrity check, counts of
 * rows, and a profile's history and outbox, read as they are on disk (not through the client that
 * wrote them). A database still in use by a live process is opened read-only, so that looking
 * changes nothing.
 */
final class Databases {
  private Databases() {}

  /** What {@code PRAGMA integrity_check} says of {@code file}: "ok" for a sound database. */
  static String integrity(Path file) {
    return query(file, "PRAGMA integrity_check", List.of()).stream()
        .reduce((a, b) -> a + "; " + b)
        .orElse("no answer");
  }

  /** How many rows of {@code table} in the SQLite file {@code database} match {@code where}. */
  static int rows(Path database, String table, String where) {
    return Integer.parseInt(
        query(database, "SELECT count(*) FROM " + table + " WHERE " + where, List.of()).get(0));
  }

  /** The texts of the entries of {@code profile}'s conversation with {@code peer}, in order. */
  static List<String> history(Path profile, String peer, boolean outgoing) {
    return query(
        profile.resolve("parley.db"),
        "SELECT text FROM entries WHERE peer = ? AND outgoing = ? ORDER BY seq",
        List.of(peer, outgoing ? 1 : 0));
  }

  /** How many of {@code profile}'s own entries wait in its outbox (queued or sent, not acked). */
  static int outbox(Path profile) {
    return count(profile, "outgoing = 1 AND state IN (0, 1)");
  }

  /** How many of {@code profile}'s own entries were acknowledged by their peer. */
  static int delivered(Path profile) {
    return count(profile, "outgoing = 1 AND state = 2");
  }

  /** How many entries {@code profile} received. */
  static int received(Path profile) {
    return count(profile, "outgoing = 0");
  }

  private static int count(Path profile, String where) {
    if (!Files.exists(profile.resolve("parley.db"))) {
      return 0; // the client has not made its profile yet
    }
    return rows(profile.resolve("parley.db"), "entries", where);
  }

  private static List<String> query(Path file, String sql, List<Object> parameters) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5_000);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
