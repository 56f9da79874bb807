package dev.parley.client.link;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one link's ICE agent found, kept to explain a failure: the kinds of candidates each side
 * gathered and the errors the STUN and TURN servers answered. Used on the link thread only.
 */
final class IceReport {
  /** A candidate's type, as the {@code typ} field of its SDP line names it. */
  enum Type {
    HOST,
    SRFLX,
    PRFLX,
    RELAY;

    static Type of(String candidateLine) {
      String[] fields = candidateLine.strip().split("\\s+");
      for (int i = 0; i + 1 < fields.length; i++) {
        if (fields[i].equals("typ")) {
          try {
            return valueOf(fields[i + 1].toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            return HOST;
          }
        }
      }
      return HOST;
    }
  }

  private final Set<Type> local = EnumSet.noneOf(Type.class);
  private final Set<Type> remote = EnumSet.noneOf(Type.class);
  private final List<IceServerError> errors = new ArrayList<>();

  void local(String candidateLine) {
    local.add(Type.of(candidateLine));
  }

  void remote(String candidateLine) {
    if (!candidateLine.isBlank()) {
      remote.add(Type.of(candidateLine));
    }
  }

  void error(IceServerError error) {
    errors.add(error);
  }

  Set<Type> local() {
    return local;
  }

  Set<Type> remote() {
    return remote;
  }

  List<IceServerError> errors() {
    return errors;
  }

  /**
   * Explains why no candidate pair to {@code peer} worked, given whether the server handed us a
   * relay: the sentence a person reads when a link could not be made.
   */
  NoPathException noPath(String peer, boolean relayOffered) {
    String noDirect = "No direct connection to " + peer + " was possible from these two networks";
    if (!relayOffered) {
      return new NoPathException(
          NoPathException.Reason.NO_RELAY,
          noDirect + ", and this server offers no relay (TURN) to carry one.");
    }
    if (local.contains(Type.RELAY)) {
      return new NoPathException(
          NoPathException.Reason.RELAY_FAILED, noDirect + ", and not even the relay got through.");
    }
    return errors.stream()
        .filter(e -> e.relay() && e.refused())
        .findFirst()
        .map(
            e ->
                new NoPathException(
                    NoPathException.Reason.RELAY_REFUSED,
                    noDirect
                        + ", and the relay refused "
                        + (e.code() == 401 ? "our credentials" : "us")
                        + " ("
                        + e.url()
                        + " answered "
                        + e.code()
                        + (e.text().isBlank() ? "" : " " + e.text())
                        + ")."))
        .orElseGet(
            () ->
                new NoPathException(
                    NoPathException.Reason.RELAY_UNREACHABLE,
                    noDirect + ", and the relay did not answer."));
  }
}
