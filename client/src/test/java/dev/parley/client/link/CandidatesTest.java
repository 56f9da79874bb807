package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CandidatesTest {

  @Test
  void recognisesABrowsersMdnsHostCandidate() {
    assertThat(
            Candidates.isMdns(
                "candidate:1 1 udp 2113937151 0b6f5b8e-4c1e-4d57-9a0b-2f0f8e3f6b21.local 54321 typ"
                    + " host generation 0"))
        .isTrue();
    assertThat(Candidates.isMdns("candidate:1 1 udp 2113937151 192.168.1.20 54321 typ host"))
        .isFalse();
    assertThat(Candidates.isMdns("candidate:1 1 udp 2113937151 ::1 54321 typ host")).isFalse();
    assertThat(Candidates.isMdns("garbage")).isFalse();
  }
}
