package dev.parley.server.signaling;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;

/** A user addressed a signal to themselves. */
public final class SignalToSelfException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public SignalToSelfException() {
    super(ErrorCode.INVALID_TARGET, "you cannot signal yourself");
  }
}
