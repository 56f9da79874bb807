package dev.parley.server.session;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.UserName;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.InviteCodes;
import dev.parley.server.limits.SourceRates;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Who may register a new name: anyone ({@link Mode#OPEN}), or whoever brings an invite code the
 * operator made ({@link Mode#INVITE}), within a number of new names per hour from one address, so
 * that names cannot be squatted without bound, the directory grown from one host, nor invite codes
 * guessed (every try with a code counts); or nobody ({@link Mode#CLOSED}), when the operator has
 * closed registration. Names already registered log in whatever the mode. The count is per node
 * (docs/operations.md).
 */
public final class Registration {
  /** Whether new names are taken. */
  public enum Mode {
    OPEN,
    INVITE,
    CLOSED;

    /**
     * The mode as {@code --registration} takes it: {@code open}, {@code invite} or {@code closed}.
     */
    public static Mode of(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "open" -> OPEN;
        case "invite" -> INVITE;
        case "closed" -> CLOSED;
        default ->
            throw new IllegalArgumentException(
                "--registration takes open, invite or closed, not '" + text + "'");
      };
    }
  }

  private static final Duration HOUR = Duration.ofHours(1);

  private final Mode mode;
  private final int perHour;
  private final SourceRates<String> perAddress;
  private final LongSupplier nanoTime;

  /** {@code perHour} new names an hour from one address, all at once at most. */
  public Registration(Mode mode, int perHour, LongSupplier nanoTime) {
    if (perHour < 1) {
      throw new IllegalArgumentException("at least one registration an hour must be allowed");
    }
    this.mode = mode;
    this.perHour = perHour;
    this.perAddress = new SourceRates<>(perHour / (double) HOUR.toSeconds(), perHour);
    this.nanoTime = nanoTime;
  }

  public Mode mode() {
    return mode;
  }

  public int perHour() {
    return perHour;
  }

  /**
   * What decides whether a client at {@code address} may register the free name it claims, with the
   * invite code its login carried, if any (looked at only in {@link Mode#INVITE}).
   */
  Directory.Admission from(String address, @Nullable InviteCode invite) {
    return new Directory.Admission() {
      @Override
      public Optional<String> admit(UserName name) {
        if (mode == Mode.CLOSED) {
          throw new ProtocolException(
              ErrorCode.REGISTRATION_CLOSED,
              "this server takes no new names; only names already registered can log in");
        }
        if (mode == Mode.INVITE && invite == null) {
          throw new ProtocolException(
              ErrorCode.INVITE_REQUIRED,
              "this server takes new names by invitation only: log in with an invite code from"
                  + " its operator, or with a name you have");
        }
        if (!perAddress.tryAcquire(address, nanoTime.getAsLong())) {
          throw new ProtocolException(
              ErrorCode.TOO_MANY_REGISTRATIONS,
              "too many new names from your address (at most "
                  + perHour
                  + " an hour); try again later or log in with a name you have");
        }
        return mode == Mode.INVITE && invite != null
            ? Optional.of(InviteCodes.hash(invite))
            : Optional.empty();
      }

      @Override
      public void notUsed(UserName name) {
        perAddress.giveBack(address);
      }
    };
  }
}
