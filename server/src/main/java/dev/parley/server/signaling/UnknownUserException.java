package dev.parley.server.signaling;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.UserName;

/** A signal was addressed to a name nobody registered. */
public final class UnknownUserException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public UnknownUserException(UserName name) {
    super(ErrorCode.UNKNOWN_USER, "no user named " + name);
  }
}
