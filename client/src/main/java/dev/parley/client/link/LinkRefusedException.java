package dev.parley.client.link;

/** The peer hung up before the link opened: it refused our offer or could not answer it. */
public final class LinkRefusedException extends LinkException {
  private static final long serialVersionUID = 1L;

  public LinkRefusedException(String message) {
    super(message);
  }
}
