package dev.parley.client.server;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.UserName;

/** The name is registered to another identity key: this identity can never log in under it. */
public final class NameTakenException extends LoginFailedException {
  private static final long serialVersionUID = 1L;

  private final transient UserName name;

  public NameTakenException(UserName name, String serverMessage) {
    super(
        "the name '"
            + name
            + "' is taken: it is registered to another identity key ("
            + serverMessage
            + ")",
        ErrorCode.NAME_TAKEN);
    this.name = name;
  }

  public UserName name() {
    return name;
  }
}
