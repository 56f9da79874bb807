package dev.parley.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.doctor.NatCheck.Mapping;
import dev.parley.app.doctor.Verdict.Facts;
import dev.parley.app.doctor.Verdict.Relay;
import dev.parley.app.doctor.Verdict.RelayNeed;
import dev.parley.app.doctor.Verdict.Udp;
import dev.parley.stun.TurnProbeResult;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every branch of the verdict, which is a pure function of what the checks found. */
class DoctorVerdictTest {

  @Test
  void aServerWhoseWebSocketDoesNotAnswerIsTheWholeStory() {
    Verdict verdict = Verdict.decide(new Facts(false, Udp.OPEN, Mapping.UNKNOWN, Relay.WORKS));

    assertThat(verdict.text())
        .isEqualTo(
            "You cannot log in to this server from here: its WebSocket does not work (see"
                + " above); tell its operator.");
    assertThat(verdict.relayNeeded()).isEqualTo(RelayNeed.UNKNOWN);
  }

  @Test
  void anOpenNetworkConnectsDirectlyWhateverTheRelay() {
    for (Relay relay : Relay.values()) {
      Verdict verdict =
          Verdict.decide(new Facts(true, Udp.OPEN, Mapping.ENDPOINT_INDEPENDENT, relay));

      assertThat(verdict.text()).isEqualTo("Direct connections will work with most peers.");
      assertThat(verdict.relayNeeded()).isEqualTo(RelayNeed.NO);
      assertThat(verdict.relay()).isEqualTo(relay);
    }
  }

  @Test
  void anEndpointIndependentNatNeedsTheRelayOnlyForPeersBehindStrictNats() {
    assertThat(natVerdict(Mapping.ENDPOINT_INDEPENDENT, Relay.WORKS).text())
        .isEqualTo(
            "Direct connections will work with most peers; for peers behind strict NATs you will"
                + " need the relay, and this server has one that works.");
    assertThat(natVerdict(Mapping.ENDPOINT_INDEPENDENT, Relay.WORKS).relayNeeded())
        .isEqualTo(RelayNeed.SOME_PEERS);
  }

  @Test
  void anEndpointIndependentNatOnAServerWithoutARelaySaysSo() {
    assertThat(natVerdict(Mapping.ENDPOINT_INDEPENDENT, Relay.NONE).text())
        .isEqualTo(
            "Direct connections will work with most peers; for peers behind strict NATs you will"
                + " need the relay, and this server has none.");
  }

  @Test
  void aRelayThatFailedFromHereIsNamedAsSuch() {
    assertThat(natVerdict(Mapping.ENDPOINT_INDEPENDENT, Relay.FAILS).text())
        .endsWith(
            "you will need the relay, and this server offers one, but it did not work from here.");
  }

  @Test
  void aRelayNotTriedIsNamedAsSuch() {
    assertThat(natVerdict(Mapping.ENDPOINT_INDEPENDENT, Relay.UNTESTED).text())
        .endsWith("you will need the relay, and this server offers one, not tried from here.");
  }

  @Test
  void aPerDestinationNatNeedsTheRelayForMostPeers() {
    Verdict verdict = natVerdict(Mapping.PER_DESTINATION, Relay.WORKS);

    assertThat(verdict.text())
        .isEqualTo(
            "Your network maps ports per destination (a strict NAT, as on many mobile networks):"
                + " you will need the relay for most peers; this server has one that works.");
    assertThat(verdict.relayNeeded()).isEqualTo(RelayNeed.MOST_PEERS);
  }

  @Test
  void aPerDestinationNatWithoutAWorkingRelayReachesOnlyOpenNetworks() {
    assertThat(natVerdict(Mapping.PER_DESTINATION, Relay.NONE).text())
        .endsWith(
            "you will need the relay for most peers; this server has none, so you can talk"
                + " directly only with peers on open networks.");
    assertThat(natVerdict(Mapping.PER_DESTINATION, Relay.FAILS).text())
        .endsWith(
            "this server offers one, but it did not work from here, so you can talk directly only"
                + " with peers on open networks.");
    assertThat(natVerdict(Mapping.PER_DESTINATION, Relay.UNTESTED).text())
        .endsWith(
            "you will need the relay for most peers; this server offers one, not tried from here.");
  }

  @Test
  void aNatWhoseMappingCouldNotBeCheckedIsHedged() {
    Verdict verdict = natVerdict(Mapping.UNKNOWN, Relay.WORKS);

    assertThat(verdict.text())
        .isEqualTo(
            "Direct connections will work with many peers, but how your NAT maps ports could not be"
                + " checked; where they fail you will need the relay, and this server has one that"
                + " works.");
    assertThat(verdict.relayNeeded()).isEqualTo(RelayNeed.UNKNOWN);
  }

  @Test
  void blockedUdpNeedsTheRelayOverTcpForEveryone() {
    Verdict verdict = Verdict.decide(new Facts(true, Udp.BLOCKED, Mapping.UNKNOWN, Relay.WORKS));

    assertThat(verdict.text())
        .isEqualTo(
            "UDP seems blocked on this network, so direct connections will not work: you will need"
                + " the relay over TCP for every peer, and this server has one that works.");
    assertThat(verdict.relayNeeded()).isEqualTo(RelayNeed.ALL_PEERS);
  }

  @Test
  void blockedUdpWithoutAWorkingRelayCutsYouOff() {
    assertThat(Verdict.decide(new Facts(true, Udp.BLOCKED, Mapping.UNKNOWN, Relay.NONE)).text())
        .endsWith("this server has none, so you cannot talk to anyone from this network.");
    assertThat(Verdict.decide(new Facts(true, Udp.BLOCKED, Mapping.UNKNOWN, Relay.FAILS)).text())
        .endsWith(
            "this server offers one, but it did not work from here, so you cannot talk to anyone"
                + " from this network.");
    assertThat(Verdict.decide(new Facts(true, Udp.BLOCKED, Mapping.UNKNOWN, Relay.UNTESTED)).text())
        .endsWith("this server offers one, not tried from here.");
  }

  @Test
  void withoutAStunAnswerTheNetworkIsNotJudged() {
    Verdict verdict = Verdict.decide(new Facts(true, Udp.UNCHECKED, Mapping.UNKNOWN, Relay.NONE));

    assertThat(verdict.text())
        .isEqualTo(
            "Your network could not be checked without a STUN answer from the server; if direct"
                + " connections fail you will need the relay, and this server has none.");
    assertThat(verdict.relayNeeded()).isEqualTo(RelayNeed.UNKNOWN);
  }

  @Test
  void whereUdpIsBlockedOnlyARelayOverTcpCounts() {
    RelayCheck udpOnly =
        new RelayCheck.Probed(
            List.of(
                new TurnAttempt(
                    "turn:192.0.2.1:3478?transport=udp",
                    false,
                    new TurnProbeResult.Allocated(
                        new InetSocketAddress("192.0.2.1", 50000),
                        new InetSocketAddress("198.51.100.7", 40000)))));

    assertThat(udpOnly.relay(false)).isEqualTo(Relay.WORKS);
    assertThat(udpOnly.relay(true)).isEqualTo(Relay.FAILS);
  }

  private static Verdict natVerdict(Mapping mapping, Relay relay) {
    return Verdict.decide(new Facts(true, Udp.NAT, mapping, relay));
  }
}
