package dev.parley.server.directory;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;

/**
 * A new name could not be registered: the disk under the directory's database is full. Names
 * already registered still log in; the same login succeeds once the operator has made room.
 */
public final class StorageFullException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public StorageFullException() {
    super(
        ErrorCode.STORAGE_FULL,
        "the server's disk is full, so it cannot register new names now (names already"
            + " registered log in as before); try again later, or tell the server's operator");
  }
}
