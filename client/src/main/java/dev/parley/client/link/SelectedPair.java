package dev.parley.client.link;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the candidate pair ICE selected out of a WebRTC stats report (W3C webrtc-stats): the
 * transport names it ({@code selectedCandidatePairId}), and the pair names its two candidates.
 */
final class SelectedPair {
  private SelectedPair() {}

  static Optional<LinkPath> of(RTCStatsReport report) {
    Map<String, RTCStats> stats = report.getStats();
    return stats.values().stream()
        .filter(s -> s.getType() == RTCStatsType.TRANSPORT)
        .map(s -> string(s, "selectedCandidatePairId"))
        .flatMap(Optional::stream)
        .map(stats::get)
        .filter(pair -> pair != null && pair.getType() == RTCStatsType.CANDIDATE_PAIR)
        .findFirst()
        .flatMap(pair -> path(stats, pair));
  }

  private static Optional<LinkPath> path(Map<String, RTCStats> stats, RTCStats pair) {
    Optional<LinkPath.Candidate> local =
        string(pair, "localCandidateId").map(stats::get).flatMap(SelectedPair::candidate);
    Optional<LinkPath.Candidate> remote =
        string(pair, "remoteCandidateId").map(stats::get).flatMap(SelectedPair::candidate);
    if (local.isEmpty() || remote.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new LinkPath(
            LinkPath.Kind.of(local.get().type(), remote.get().type()), local.get(), remote.get()));
  }

  private static Optional<LinkPath.Candidate> candidate(RTCStats stats) {
    if (stats == null) {
      return Optional.empty();
    }
    Optional<String> type = string(stats, "candidateType");
    Optional<String> address = string(stats, "address").or(() -> string(stats, "ip"));
    Object port = stats.getAttributes().get("port");
    if (type.isEmpty() || !(port instanceof Number number)) {
      return Optional.empty();
    }
    return Optional.of(
        new LinkPath.Candidate(
            type.get(),
            address,
            number.intValue(),
            string(stats, "protocol").orElse("udp"),
            string(stats, "relayProtocol")));
  }

  private static Optional<String> string(RTCStats stats, String attribute) {
    return stats.getAttributes().get(attribute) instanceof String value && !value.isEmpty()
        ? Optional.of(value)
        : Optional.empty();
  }
}
