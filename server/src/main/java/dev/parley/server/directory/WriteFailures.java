package dev.parley.server.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
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

  /**
   * Below this many free bytes an I/O error of SQLite's is taken for a full disk: SQLite reports a
   * full disk as {@code SQLITE_FULL} when a write finds no room, but as an I/O error when its
   * shared memory file (-shm) cannot grow.
   */
  private static final long NEARLY_FULL = 1 << 20;

  private final String disk;
  private final @Nullable Path directory;
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean full;

  /**
   * {@code disk} says, for the log, which disk fills up ("the disk of DIR"); {@code directory} is
   * where an embedded database's files are, null for a database server.
   */
  WriteFailures(String disk, @Nullable Path directory) {
    this.disk = disk;
    this.directory = directory;
  }

  /** Which disk the database writes to, as a person would say it ("the disk that holds ..."). */
  String disk() {
    return disk;
  }

  /**
   * Whether {@code e} says the database's disk is full: SQLITE_FULL, PostgreSQL's disk_full, or an
   * I/O error of SQLite's with next to no room left.
   */
  boolean isFull(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException sqlite) {
        return sqlite.getResultCode() == SQLiteErrorCode.SQLITE_FULL
            || (sqlite.getResultCode().name().startsWith("SQLITE_IOERR")
                && directory != null
                && nearlyFull(directory));
      }
      if (cause instanceof SQLException sql && POSTGRESQL_DISK_FULL.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean nearlyFull(Path directory) {
    try {
      return Files.getFileStore(directory).getUsableSpace() < NEARLY_FULL;
    } catch (IOException unknown) {
      return false;
    }
  }

  /** A write, {@code what} it was for, failed with {@code e}; says whether the disk is full. */
  boolean failed(String what, SQLException e) {
    boolean wasFull = full;
    boolean nowFull = isFull(e);
    full = nowFull;
    if (failed.getAndIncrement() > 0 && (wasFull || !nowFull)) {
      return nowFull; // told already: this spell's first failure, or the one that found the disk
      // full
    }
    if (nowFull) {
      log.error(
          "The directory cannot write: {} is full ({}). New names are refused (storage_full);"
              + " known names still log in, without their last-seen time recorded. Nothing stored"
              + " is lost. Make room: it works again without a restart",
          disk,
          e.getMessage());
    } else {
      log.error("The directory cannot write ({}); told once until a write works again", what, e);
    }
    return nowFull;
  }

  /**
   * A write worked: ends a spell of failures, if there was one. A write that took no new room
   * ({@code grew} false: a last-seen time rewritten in place) may work on a full disk, so it ends a
   * full disk's spell only where the embedded database's disk is seen to have room again.
   */
  void succeeded(boolean grew) {
    if (full && !grew && (directory == null || nearlyFull(directory))) {
      return;
    }
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
