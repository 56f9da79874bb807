package dev.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlDialectTest {

  @Test
  void theUrlChoosesTheDialect() {
    assertThat(SqlDialect.of("jdbc:sqlite:/var/lib/parley/parley.db")).isEqualTo(SqlDialect.SQLITE);
    assertThat(SqlDialect.of("jdbc:postgresql://db.example/parley"))
        .isEqualTo(SqlDialect.POSTGRESQL);
  }

  @Test
  void anUnsupportedDatabaseIsRefusedByName() {
    assertThatThrownBy(() -> SqlDialect.of("jdbc:mysql://db.example/parley"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:mysql://db.example/parley");
  }
}
