package dev.parley.server.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the current schema by applying, in order and each exactly once, the numbered
 * scripts in {@code db/migration/}. A script, once released, never changes: a change of schema is a
 * new script. See docs/adr/0003-directory-storage.md.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** The scripts, oldest first; the version of each is its position, counting from 1. */
  static final List<String> SCRIPTS = List.of("V1__users.sql", "V2__invites.sql");

  private Migrations() {}

  /** Applies what is missing; returns the schema version the database is at afterwards. */
  static int apply(Connection connection, SqlDialect dialect) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      // Lock first: concurrent CREATE TABLE IF NOT EXISTS can still collide on PostgreSQL.
      dialect.lockForMigration(connection);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS parley_schema ("
                + "version INTEGER PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                + "applied_at BIGINT NOT NULL)");
      }
      int current = currentVersion(connection);
      if (current > SCRIPTS.size()) {
        throw new IllegalStateException(
            "the database has schema version "
                + current
                + " but this Parley knows only up to "
                + SCRIPTS.size()
                + "; run a newer Parley");
      }
      for (int version = current + 1; version <= SCRIPTS.size(); version++) {
        String script = SCRIPTS.get(version - 1);
        log.info("Migrating the directory to schema version {} ({})", version, script);
        try (Statement statement = connection.createStatement()) {
          for (String sql : statements(script)) {
            statement.execute(sql);
          }
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO parley_schema (version, script, applied_at) VALUES (?, ?, ?)")) {
          insert.setInt(1, version);
          insert.setString(2, script);
          insert.setLong(3, System.currentTimeMillis());
          insert.executeUpdate();
        }
      }
      connection.commit();
      return SCRIPTS.size();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM parley_schema")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** The statements of a script: separated by semicolons at line ends; no procedural SQL. */
  private static List<String> statements(String script) {
    String path = "/db/migration/" + script;
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the build: " + path);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return java.util.Arrays.stream(text.split(";\\s*\\n"))
          .map(sql -> sql.lines().filter(l -> !l.strip().startsWith("--")).toList())
          .map(lines -> String.join("\n", lines).strip())
          .filter(sql -> !sql.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
