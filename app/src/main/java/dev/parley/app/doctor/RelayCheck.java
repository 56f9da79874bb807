package dev.parley.app.doctor;

import java.util.List;

/** Whether the server's TURN relay works from here, for peers that cannot be reached directly. */
public sealed interface RelayCheck {
  /** Every TURN URL of the welcome, each tried with a real allocation (released at once). */
  record Probed(List<TurnAttempt> attempts) implements RelayCheck {
    public Probed {
      attempts = List.copyOf(attempts);
    }
  }

  /** The server hands out no TURN. */
  record NotOffered() implements RelayCheck {}

  /** Not tried: no name to log in with, or the login failed; {@code why} says which. */
  record NotChecked(String why) implements RelayCheck {}

  /**
   * What the relay means for the verdict. Where UDP is blocked only a relay reached over TCP or TLS
   * counts.
   */
  default Verdict.Relay relay(boolean tcpOnly) {
    return switch (this) {
      case Probed probed ->
          probed.attempts().stream().anyMatch(a -> a.allocated() && (a.overTcp() || !tcpOnly))
              ? Verdict.Relay.WORKS
              : Verdict.Relay.FAILS;
      case NotOffered none -> Verdict.Relay.NONE;
      case NotChecked notChecked -> Verdict.Relay.UNTESTED;
    };
  }

  /** The lines of the human report: one per TURN URL, or one that says why there are none. */
  default List<String> describe() {
    return switch (this) {
      case Probed probed -> probed.attempts().stream().map(TurnAttempt::describe).toList();
      case NotOffered none -> List.of("none: this server offers no relay");
      case NotChecked notChecked -> List.of("not checked: " + notChecked.why());
    };
  }
}
