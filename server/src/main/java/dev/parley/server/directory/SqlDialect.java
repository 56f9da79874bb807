package dev.parley.server.directory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What differs between the databases the directory runs on; everything else is plain SQL. */
enum SqlDialect {
  SQLITE {
    @Override
    void lockForMigration(Connection connection) {
      // SQLite has one writer at a time: the migration transaction's first write takes the lock.
    }
  },
  POSTGRESQL {
    @Override
    void lockForMigration(Connection connection) throws SQLException {
      // Several nodes may start at once; only one migrates, the others wait and then see it done.
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(7355608)");
      }
    }
  };

  abstract void lockForMigration(Connection connection) throws SQLException;

  static SqlDialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database URL (use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB): " + jdbcUrl);
  }
}
