package dev.parley.client.profile;

/** A profile cannot be opened or written: in use, unreadable, or its database failed. */
public final class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProfileException(String message) {
    super(message);
  }

  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
