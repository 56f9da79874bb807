package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceReportTest {
  private static final String NO_DIRECT =
      "No direct connection to bob was possible from these two networks";

  /** A relay of ours to a peer behind a symmetric NAT, whose mapped port nothing signaled. */
  private static final LinkPath RELAYED_TO_SYMMETRIC =
      new LinkPath(
          LinkPath.Kind.RELAY,
          new LinkPath.Candidate(
              "relay", Optional.of("203.0.113.20"), 49152, "udp", Optional.of("udp")),
          new LinkPath.Candidate("prflx", Optional.empty(), 40054, "udp", Optional.empty()));

  private final IceReport report = new IceReport();

  @Test
  void aCandidateLinesTypeIsReadFromItsTypField() {
    assertThat(
            IceReport.Type.of(
                "candidate:1 1 udp 1686052607 203.0.113.101 58221 typ srflx raddr 192.168.1.10"
                    + " rport 33923"))
        .isEqualTo(IceReport.Type.SRFLX);
    assertThat(IceReport.Type.of("candidate:2 1 udp 41885695 203.0.113.10 49191 typ relay"))
        .isEqualTo(IceReport.Type.RELAY);
    assertThat(IceReport.Type.of("candidate:3 1 tcp 1518280447 192.168.1.10 9 typ host tcptype"))
        .isEqualTo(IceReport.Type.HOST);
  }

  @Test
  void withoutARelayTheServerIsSaidToOfferNone() {
    NoPathException why = report.noPath("bob", false);

    assertThat(why.reason()).isEqualTo(NoPathException.Reason.NO_RELAY);
    assertThat(why)
        .hasMessage(NO_DIRECT + ", and this server offers no relay (TURN) to carry one.");
  }

  @Test
  void aRelayThatRefusedTheCredentialsIsNamedWithItsAnswer() {
    report.local("candidate:1 1 udp 1686052607 203.0.113.101 58221 typ srflx");
    report.error(new IceServerError("turn:203.0.113.10:3478?transport=udp", 401, "Unauthorized"));

    NoPathException why = report.noPath("bob", true);

    assertThat(why.reason()).isEqualTo(NoPathException.Reason.RELAY_REFUSED);
    assertThat(why)
        .hasMessage(
            NO_DIRECT
                + ", and the relay refused our credentials (turn:203.0.113.10:3478?transport=udp"
                + " answered 401 Unauthorized).");
  }

  @Test
  void aRelayThatRefusedForAnotherReasonRefusedUs() {
    report.error(new IceServerError("turns:relay.example:5349?transport=tcp", 486, ""));

    assertThat(report.noPath("bob", true))
        .hasMessage(
            NO_DIRECT
                + ", and the relay refused us (turns:relay.example:5349?transport=tcp answered"
                + " 486).");
  }

  @Test
  void aStunServerThatDidNotAnswerIsNotTakenForTheRelay() {
    report.error(new IceServerError("stun:203.0.113.10:3478", 701, "STUN host lookup failed"));

    NoPathException why = report.noPath("bob", true);

    assertThat(why.reason()).isEqualTo(NoPathException.Reason.RELAY_UNREACHABLE);
    assertThat(why).hasMessage(NO_DIRECT + ", and the relay did not answer.");
  }

  @Test
  void aRelayCandidateThatStillFailedSaysSo() {
    report.local("candidate:2 1 udp 41885695 203.0.113.10 49191 typ relay raddr 0.0.0.0 rport 0");

    NoPathException why = report.noPath("bob", true);

    assertThat(why.reason()).isEqualTo(NoPathException.Reason.RELAY_FAILED);
    assertThat(why).hasMessage(NO_DIRECT + ", and not even the relay got through.");
  }

  @Test
  void aPeerReflexiveEndIsNamedForTheSignaledCandidateWithItsPort() {
    report.local("candidate:1 1 udp 2122260223 192.168.1.10 5000 typ host generation 0");
    report.remote("candidate:2 1 udp 2122260223 192.168.1.20 6000 typ host generation 0");
    var onOneLan =
        new LinkPath(
            LinkPath.Kind.NAT,
            new LinkPath.Candidate(
                "host", Optional.of("192.168.1.10"), 5000, "udp", Optional.empty()),
            new LinkPath.Candidate("prflx", Optional.empty(), 6000, "udp", Optional.empty()));

    LinkPath refined = report.refine(onOneLan);

    assertThat(refined.kind()).isEqualTo(LinkPath.Kind.DIRECT);
    assertThat(refined.remote().address()).contains("192.168.1.20");
  }

  @Test
  void behindAPortPreservingNatTheReflexiveCandidateWinsOverTheHostOne() {
    report.remote("candidate:2 1 udp 2122260223 192.168.2.10 6000 typ host generation 0");
    report.remote(
        "candidate:3 1 udp 1686052607 203.0.113.102 6000 typ srflx raddr 192.168.2.10 rport 6000");
    var throughNat =
        new LinkPath(
            LinkPath.Kind.NAT,
            new LinkPath.Candidate(
                "srflx", Optional.of("203.0.113.101"), 5000, "udp", Optional.empty()),
            new LinkPath.Candidate("prflx", Optional.empty(), 6000, "udp", Optional.empty()));

    assertThat(report.refine(throughNat).remote().type()).isEqualTo("srflx");
    assertThat(report.refine(throughNat).kind()).isEqualTo(LinkPath.Kind.NAT);
  }

  @Test
  void aPeerReflexiveEndThatMatchesNothingStaysOne() {
    assertThat(report.refine(RELAYED_TO_SYMMETRIC)).isEqualTo(RELAYED_TO_SYMMETRIC);
  }
}
