package dev.parley.server.presence;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;

/** A watch would make one connection watch more names than the protocol allows. */
public final class WatchLimitException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public WatchLimitException(int watched, int added) {
    super(
        ErrorCode.WATCH_LIMIT,
        "a connection may watch at most "
            + ClientMessage.Watch.MAX_WATCHED
            + " names; it watches "
            + watched
            + " and this watch adds "
            + added
            + "; nothing was changed; unwatch some first");
  }
}
