package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stats shaped as webrtc-java 0.14.0 reports them (seen in a run through two NATs and coturn). */
class SelectedPairTest {
  private final Map<String, RTCStats> stats = new HashMap<>();

  @Test
  void theTransportsSelectedPairNamesBothEnds() {
    add(RTCStatsType.TRANSPORT, "T01", Map.of("selectedCandidatePairId", "CP1"));
    add(
        RTCStatsType.CANDIDATE_PAIR,
        "CP1",
        Map.of("localCandidateId", "L1", "remoteCandidateId", "R1", "state", "succeeded"));
    add(
        RTCStatsType.CANDIDATE_PAIR,
        "CP2",
        Map.of("localCandidateId", "L2", "remoteCandidateId", "R1", "state", "failed"));
    add(
        RTCStatsType.LOCAL_CANDIDATE,
        "L1",
        Map.of(
            "candidateType",
            "relay",
            "address",
            "203.0.113.10",
            "port",
            49191,
            "protocol",
            "udp",
            "relayProtocol",
            "tcp"));
    add(
        RTCStatsType.LOCAL_CANDIDATE,
        "L2",
        Map.of("candidateType", "host", "address", "192.168.1.10", "port", 5000));
    // WebRTC does not report a peer-reflexive candidate's address.
    add(
        RTCStatsType.REMOTE_CANDIDATE,
        "R1",
        Map.of("candidateType", "prflx", "port", 38210, "protocol", "udp"));

    LinkPath path = SelectedPair.of(report()).orElseThrow();

    assertThat(path.kind()).isEqualTo(LinkPath.Kind.RELAY);
    assertThat(path.local().address()).contains("203.0.113.10");
    assertThat(path.local().relayProtocol()).contains("tcp");
    assertThat(path.remote().address()).isEmpty();
    assertThat(path.describe())
        .isEqualTo(
            "relayed: relay 203.0.113.10:49191 udp (relay over tcp) \u21c4 prflx ?:38210 udp");
  }

  @Test
  void noSelectedPairYetMeansNoPath() {
    add(RTCStatsType.TRANSPORT, "T01", Map.of("iceState", "checking"));

    assertThat(SelectedPair.of(report())).isEmpty();
  }

  @Test
  void theKindOfAPairFollowsItsLeastDirectEnd() {
    assertThat(LinkPath.Kind.of("host", "host")).isEqualTo(LinkPath.Kind.DIRECT);
    assertThat(LinkPath.Kind.of("host", "srflx")).isEqualTo(LinkPath.Kind.NAT);
    assertThat(LinkPath.Kind.of("prflx", "host")).isEqualTo(LinkPath.Kind.NAT);
    assertThat(LinkPath.Kind.of("srflx", "relay")).isEqualTo(LinkPath.Kind.RELAY);
    assertThat(
            new LinkPath.Candidate("host", Optional.of("fd00::2"), 7, "udp", Optional.empty())
                .toString())
        .isEqualTo("host [fd00::2]:7 udp");
  }

  private void add(RTCStatsType type, String id, Map<String, Object> attributes) {
    stats.put(id, new RTCStats(0, type, id, attributes) {});
  }

  private RTCStatsReport report() {
    return new RTCStatsReport(stats, 0) {};
  }
}
