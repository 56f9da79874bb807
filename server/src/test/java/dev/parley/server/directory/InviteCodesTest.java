package dev.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.InviteCode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InviteCodesTest {
  private static final Instant NOW = Instant.parse("2025-03-03T09:00:00Z");

  @Test
  void aCodeIsSixteenBase32CharactersInGroupsOfFour() {
    InviteCodes.Made made = InviteCodes.make(new SecureRandom(), NOW, InviteCodes.DEFAULT_LIFETIME);

    assertThat(made.code().value()).matches("([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}");
  }

  @Test
  void everyCharacterOfTheAlphabetTurnsUpSoACodeCarries80Bits() {
    SplittableRandom random = new SplittableRandom(7);
    Set<Character> seen = new HashSet<>();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String code = InviteCodes.make(random, NOW, Duration.ofHours(1)).code().value();
      codes.add(code);
      code.replace("-", "").chars().forEach(c -> seen.add((char) c));
    }
    assertThat(seen).hasSize(32); // 5 bits a character, 16 characters
    assertThat(codes).hasSize(1000);
  }

  @Test
  void theInviteKeepsTheHashOfTheCodeAndItsExpiry() {
    InviteCodes.Made made = InviteCodes.make(new SecureRandom(), NOW, Duration.ofDays(2));

    assertThat(made.invite().codeHash())
        .isEqualTo(InviteCodes.hash(made.code()))
        .hasSize(64)
        .doesNotContain(made.code().value().replace("-", ""));
    assertThat(made.invite().created()).isEqualTo(NOW);
    assertThat(made.invite().expires()).isEqualTo(NOW.plus(Duration.ofDays(2)));
  }

  @Test
  void aCodeTypedInLowerCaseWithSpacesOrLookAlikeLettersIsTheSameCode() {
    String hash = InviteCodes.hash(new InviteCode("0K1M-QX9D-R4TB-WN1H"));

    assertThat(InviteCodes.hash(new InviteCode("ok1m qx9d r4tb wnlh"))).isEqualTo(hash);
    assertThat(InviteCodes.hash(new InviteCode("OKIMQX9DR4TBWNiH"))).isEqualTo(hash);
    assertThat(InviteCodes.hash(new InviteCode("0K1M-QX9D-R4TB-WN1J"))).isNotEqualTo(hash);
  }

  @Test
  void anInviteMustOutliveItsMaking() {
    assertThatThrownBy(() -> InviteCodes.make(new SecureRandom(), NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
