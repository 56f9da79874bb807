package dev.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class WriteFailuresTest {
  private static SQLException diskFull() {
    return new SQLiteException(
        "[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL);
  }

  private static SQLException postgresDiskFull() {
    return new SQLException("could not extend file", "53100");
  }

  private static SQLException busy() {
    return new SQLiteException("[SQLITE_BUSY] database is locked", SQLiteErrorCode.SQLITE_BUSY);
  }

  @Test
  void aWriteInPlaceDoesNotEndAFullDiskOfADatabaseServerButARegistrationDoes() {
    WriteFailures writes = new WriteFailures("the database's disk", null);

    writes.failed("registering alice", postgresDiskFull());
    writes.succeeded(false); // a last-seen time rewritten in place
    boolean afterTouch = writes.full();
    writes.succeeded(true);

    assertThat(afterTouch).isTrue();
    assertThat(writes.full()).isFalse();
  }

  @Test
  void aWriteInPlaceEndsAFullDiskWhereTheEmbeddedDatabasesDiskHasRoomAgain(@TempDir Path dir) {
    WriteFailures writes = new WriteFailures("the disk of " + dir, dir); // a disk with room

    writes.failed("registering alice", diskFull());
    boolean full = writes.full();
    writes.succeeded(false);

    assertThat(full).isTrue();
    assertThat(writes.full()).isFalse();
  }

  @Test
  void aSpellIsToldOnceAndAgainWhenItFindsTheDiskFull() {
    WriteFailures writes = new WriteFailures("the database's disk", null);
    Logger logger = (Logger) LoggerFactory.getLogger(WriteFailures.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      writes.failed("recording when alice was last seen", busy());
      writes.failed("recording when bob was last seen", busy());
      boolean busyIsFull = writes.full();
      writes.failed("registering carol", diskFull());
      writes.failed("registering dave", diskFull());
      writes.succeeded(true);

      assertThat(busyIsFull).isFalse();
      assertThat(logged.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .satisfiesExactly(
              first -> assertThat(first).contains("cannot write (recording when alice"),
              full -> assertThat(full).contains("the database's disk is full"),
              back -> assertThat(back).contains("writes again, after 4 failed writes"));
    } finally {
      logger.detachAppender(logged);
    }
  }
}
