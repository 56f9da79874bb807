package dev.parley.server.directory;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;

/**
 * A new name came with an invite code the directory cannot take. Whether it is unknown, used or
 * expired is not said, so that whoever guesses codes learns nothing from the answer.
 */
public final class InviteInvalidException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public InviteInvalidException() {
    super(
        ErrorCode.INVITE_INVALID,
        "this invite code cannot register a name: it is mistyped, used already or expired;"
            + " ask for a new one");
  }
}
