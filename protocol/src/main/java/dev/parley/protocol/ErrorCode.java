package dev.parley.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stable codes of the server's error frames. The wire name never changes once released; a
 * {@linkplain #fatal() fatal} error is followed by the server closing the connection.
 */
public enum ErrorCode {
  BAD_JSON("bad_json", false),
  UNKNOWN_TYPE("unknown_type", false),
  INVALID_FIELD("invalid_field", false),
  FRAME_TOO_LARGE("frame_too_large", true),
  BINARY_NOT_SUPPORTED("binary_not_supported", false),
  NOT_LOGGED_IN("not_logged_in", false),
  ALREADY_LOGGED_IN("already_logged_in", false),
  UNSUPPORTED_VERSION("unsupported_version", true),
  INVALID_NAME("invalid_name", false),
  BAD_SIGNATURE("bad_signature", true),
  NAME_TAKEN("name_taken", true),
  LOGIN_TIMEOUT("login_timeout", true),
  INVALID_TARGET("invalid_target", false),
  UNKNOWN_USER("unknown_user", false),
  USER_OFFLINE("user_offline", false),
  RATE_LIMITED("rate_limited", false),
  TOO_MANY_CONNECTIONS("too_many_connections", true),
  SESSION_REPLACED("session_replaced", true),
  SERVER_SHUTDOWN("server_shutdown", true),
  INTERNAL_ERROR("internal_error", false),
  WATCH_LIMIT("watch_limit", false),
  REGISTRATION_CLOSED("registration_closed", true),
  TOO_MANY_REGISTRATIONS("too_many_registrations", true),
  INVITE_REQUIRED("invite_required", true),
  INVITE_INVALID("invite_invalid", true),
  STORAGE_FULL("storage_full", true);

  private static final Map<String, ErrorCode> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(ErrorCode::wireName, Function.identity()));

  private final String wireName;
  private final boolean fatal;

  ErrorCode(String wireName, boolean fatal) {
    this.wireName = wireName;
    this.fatal = fatal;
  }

  /** The code as it appears in the {@code code} field of an error frame. */
  public String wireName() {
    return wireName;
  }

  /** Whether the server closes the connection after sending this error. */
  public boolean fatal() {
    return fatal;
  }

  /** The code with this wire name, if this version of the protocol knows it. */
  public static Optional<ErrorCode> fromWireName(String wireName) {
    return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
  }
}
