package dev.parley.client.server;

import dev.parley.protocol.ErrorCode;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Logging in to the server did not succeed; {@link #code()} says why when the server said so. */
public class LoginFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final @Nullable ErrorCode code;

  public LoginFailedException(String message) {
    this(message, (ErrorCode) null);
  }

  public LoginFailedException(String message, @Nullable ErrorCode code) {
    super(message);
    this.code = code;
  }

  public LoginFailedException(String message, Throwable cause) {
    super(message, cause);
    this.code = null;
  }

  /** The server's error code, if the server refused the login with an error frame. */
  public Optional<ErrorCode> code() {
    return Optional.ofNullable(code);
  }
}
