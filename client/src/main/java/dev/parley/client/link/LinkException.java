package dev.parley.client.link;

/** A peer-to-peer link could not be opened, or broke. */
public class LinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
