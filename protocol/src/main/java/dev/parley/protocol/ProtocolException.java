package dev.parley.protocol;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A violation of the protocol, raised where it is found and turned into an error frame with its
 * {@link #code()} at the edge. The message is for people: it names what was wrong.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final @Nullable String ref;

  public ProtocolException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** A violation found by decoding the client message that carried {@code ref}. */
  ProtocolException(ErrorCode code, String message, @Nullable String ref) {
    super(message);
    this.code = code;
    this.ref = ref;
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * The {@code ref} of a client message that could not be decoded, if it was read before the
   * problem was found; the server echoes it in the error frame. Problems found after decoding have
   * none: the server knows the ref of the message it was handling.
   */
  public Optional<String> ref() {
    return Optional.ofNullable(ref);
  }
}
