package dev.parley.app.cli;

/** The exit codes of the client commands (documented in docs/client.md). */
public final class ExitCode {
  /** Done: for {@code send}, the peer acknowledged the message. */
  public static final int OK = 0;

  /** Something unexpected; the message says what. */
  public static final int FAILURE = 1;

  /** Wrong options or arguments. */
  public static final int USAGE = 2;

  /** {@code send}: not delivered yet; it waits in the outbox for a later run. */
  public static final int QUEUED = 3;

  /** The server cannot be reached, or refused the login for another reason than the name. */
  public static final int UNREACHABLE = 4;

  /** The name belongs to another identity key on this server. */
  public static final int NAME_TAKEN = 5;

  /** The profile is in use by another process, or cannot be read or written. */
  public static final int PROFILE = 6;

  /** WebRTC's native library cannot be loaded. */
  public static final int NO_WEBRTC = 7;

  /** The peer refused it (a file too large), or the peer's key changed and is not accepted. */
  public static final int REFUSED = 8;

  /**
   * {@code send}: the peer is online, but no connection to them could be made from these two
   * networks (and no relay carried one); the message stays queued.
   */
  public static final int NO_PATH = 9;

  private ExitCode() {}
}
