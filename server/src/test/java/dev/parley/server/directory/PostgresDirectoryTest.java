package dev.parley.server.directory;

import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The directory on a real PostgreSQL server, in a database of its own for each test. */
@Timeout(60)
@ExtendWith(PostgresExtension.class)
class PostgresDirectoryTest extends DirectoryContract {
  private final PostgresServer postgres;
  private final String url;

  PostgresDirectoryTest(PostgresServer postgres) {
    this.postgres = postgres;
    this.url = postgres.createDatabase();
  }

  @Override
  Directory open() {
    return JdbcDirectory.open(url, postgres.user(), postgres.password());
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, postgres.user(), postgres.password());
  }
}
