package dev.parley.server.directory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
}
