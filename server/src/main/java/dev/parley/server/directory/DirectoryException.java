package dev.parley.server.directory;

/** The directory's database failed; the cause says how. */
public final class DirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
