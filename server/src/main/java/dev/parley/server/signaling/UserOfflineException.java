package dev.parley.server.signaling;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.UserName;

/** A signal was addressed to a registered user who is not online. */
public final class UserOfflineException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public UserOfflineException(UserName name) {
    super(ErrorCode.USER_OFFLINE, name + " is not online");
  }
}
