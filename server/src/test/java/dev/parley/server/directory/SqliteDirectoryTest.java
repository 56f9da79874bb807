package dev.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The directory on its embedded default: a SQLite file in a fresh data directory per test. */
@Timeout(60)
class SqliteDirectoryTest extends DirectoryContract {
  @TempDir Path dataDirectory;

  @Override
  Directory open() {
    return JdbcDirectory.sqlite(dataDirectory);
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve("parley.db"));
  }

  @Test
  void theEmbeddedDatabaseWritesAheadSoACommitIsNoFsync() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
      mode.next();
      assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
    }
  }
}
