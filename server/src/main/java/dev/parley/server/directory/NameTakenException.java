package dev.parley.server.directory;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.UserName;

/** A login claimed a name that is registered to another identity key. */
public final class NameTakenException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public NameTakenException(UserName name) {
    super(
        ErrorCode.NAME_TAKEN,
        "the name '" + name + "' is registered to another identity key; choose another name");
  }
}
