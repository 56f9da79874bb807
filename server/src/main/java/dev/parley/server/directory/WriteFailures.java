package dev.parley.server.directory;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The directory's failed writes, told once per spell: a full disk fails every login's write, and a
 * log line per login would bury the one that says what is wrong. The first failure of a spell is
 * logged with its cause, the rest are counted, and the first write that works again ends the spell
 * with the count.
 */
final class WriteFailures {
  private static final Logger log = LoggerFactory.getLogger(WriteFailures.class);

  /** PostgreSQL's SQLSTATE for {@code disk_full}. */
  private static final String POSTGRESQL_DISK_FULL = "53100";

  private final String disk;
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean full;

  /** {@code disk} says, for the log, which disk fills up: "the disk of DIR". */
  WriteFailures(String disk) {
    this.disk = disk;
  }

  /** Whether {@code e} says the database's disk is full: SQLITE_FULL, or PostgreSQL's disk_full. */
  static boolean isFull(SQLException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException sqlite
          && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
        return true;
      }
      if (cause instanceof SQLException sql && POSTGRESQL_DISK_FULL.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** A write, {@code what} it was for, failed with {@code e}. */
  void failed(String what, SQLException e) {
    full = isFull(e);
    if (failed.getAndIncrement() > 0) {
      return;
    }
    if (full) {
      log.error(
          "The directory cannot write: {} is full ({}). New names are refused (storage_full);"
              + " known names still log in, without their last-seen time recorded. Nothing stored"
              + " is lost. Make room: it works again without a restart",
          disk,
          e.getMessage());
    } else {
      log.error("The directory cannot write ({}); told once until a write works again", what, e);
    }
  }

  /** A write worked: ends a spell of failures, if there was one. */
  void succeeded() {
    full = false;
    long before = failed.getAndSet(0);
    if (before > 0) {
      log.info("The directory writes again, after {} failed writes", before);
    }
  }

  /** Whether the last write failed because the disk is full (and none has worked since). */
  boolean full() {
    return full;
  }
}
