package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "alice", "Bob_2", "x.y-z", "0", "abcdefghijklmnopqrstuvwxyz012345"})
  void wellFormedNamesAreAccepted(String name) {
    assertThat(new UserName(name).value()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " alice",
        "alice ",
        "_alice",
        "-a",
        ".a",
        "al ice",
        "ålice",
        "аlice",
        "a/b",
        "a\nb",
        "abcdefghijklmnopqrstuvwxyz0123456"
      })
  void malformedNamesAreRefusedWithTheInvalidNameCode(String name) {
    assertThatThrownBy(() -> new UserName(name))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAME));
  }

  @Test
  void namesAreEqualRegardlessOfCaseButKeepTheirSpelling() {
    UserName alice = new UserName("Alice");
    assertThat(alice).isEqualTo(new UserName("aLICE")).hasSameHashCodeAs(new UserName("alice"));
    assertThat(alice.value()).isEqualTo("Alice");
    assertThat(alice.key()).isEqualTo("alice");
  }
}
