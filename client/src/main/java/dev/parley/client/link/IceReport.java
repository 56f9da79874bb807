package dev.parley.client.link;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What one link's ICE agent found, kept to explain a failure: the kinds of candidates each side
 * gathered and the errors the STUN and TURN servers answered. Used on the client's event loop only.
 */
final class IceReport {
  /** A candidate's type, as the {@code typ} field of its SDP line names it. */
  enum Type {
    HOST,
    SRFLX,
    PRFLX,
    RELAY;

    static Type of(String candidateLine) {
      String[] fields = candidateLine.strip().split("\\s+", -1);
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

  /** A candidate as its SDP line gives it: type, address and port. */
  private record Seen(Type type, String address, int port) {
    static Optional<Seen> of(String candidateLine) {
      String[] fields = candidateLine.strip().split("\\s+", -1);
      if (fields.length < 8) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new Seen(Type.of(candidateLine), fields[4], Integer.parseInt(fields[5])));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  private final Set<Type> local = EnumSet.noneOf(Type.class);
  private final Set<Type> remote = EnumSet.noneOf(Type.class);
  private final List<Seen> localSeen = new ArrayList<>();
  private final List<Seen> remoteSeen = new ArrayList<>();
  private final List<IceServerError> errors = new ArrayList<>();

  void local(String candidateLine) {
    local.add(Type.of(candidateLine));
    Seen.of(candidateLine).ifPresent(localSeen::add);
  }

  void remote(String candidateLine) {
    if (!candidateLine.isBlank()) {
      remote.add(Type.of(candidateLine));
      Seen.of(candidateLine).ifPresent(remoteSeen::add);
    }
  }

  /**
   * {@code path} with each peer-reflexive end named for the candidate it turns out to be. ICE
   * learns a candidate from a connectivity check when the check comes before the candidate's
   * signal, and WebRTC then reports it as {@code prflx} without its address, even on one LAN. A
   * signaled candidate of that side with the same port is the one: a server-reflexive one if there
   * is such (behind a port-preserving NAT the host candidate has the same port), else a host one.
   * Without a match it stays what it is, an address learned through a NAT.
   */
  LinkPath refine(LinkPath path) {
    LinkPath.Candidate local = refine(path.local(), localSeen);
    LinkPath.Candidate remote = refine(path.remote(), remoteSeen);
    return new LinkPath(LinkPath.Kind.of(local.type(), remote.type()), local, remote);
  }

  private static LinkPath.Candidate refine(LinkPath.Candidate end, List<Seen> seen) {
    if (!end.type().equals("prflx")) {
      return end;
    }
    Optional<Seen> match =
        seen.stream()
            .filter(s -> s.port() == end.port() && s.type() == Type.SRFLX)
            .findFirst()
            .or(
                () ->
                    seen.stream()
                        .filter(s -> s.port() == end.port() && s.type() == Type.HOST)
                        .findFirst());
    return match
        .map(
            s ->
                new LinkPath.Candidate(
                    s.type().name().toLowerCase(Locale.ROOT),
                    Optional.of(s.address()),
                    end.port(),
                    end.protocol(),
                    end.relayProtocol()))
        .orElse(end);
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
