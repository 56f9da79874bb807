package dev.parley.server.directory;

/** The directory's database failed; the cause says how. */
public final class DirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean diskFull;

  public DirectoryException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private DirectoryException(String message, Throwable cause, boolean diskFull) {
    super(message, cause);
    this.diskFull = diskFull;
  }

  /**
   * The database's disk is full: {@code message} says so in full, for people, and the cause (the
   * driver's words) is for the log only.
   */
  static DirectoryException diskFull(String message, Throwable cause) {
    return new DirectoryException(message, cause, true);
  }

  /** Whether the database's disk is full; the message then says all a person needs. */
  public boolean diskFull() {
    return diskFull;
  }
}
