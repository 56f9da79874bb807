package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.PresenceMode;
import org.junit.jupiter.api.Test;

/** {@code --presence}: everyone by default, contacts when asked, and nothing else. */
class PresenceOptionTest {
  private static final ServerOption<?> PRESENCE =
      ServerOptions.ALL.stream()
          .filter(option -> option.flag().equals("--presence"))
          .findFirst()
          .orElseThrow();

  @Test
  void everyoneIsTheDefault() {
    assertThat(ServerConfig.defaults().presenceMode()).isEqualTo(PresenceMode.EVERYONE);
    assertThat(PRESENCE.environmentVariable()).isEqualTo("PARLEY_PRESENCE");
  }

  @Test
  void contactsModeIsChosenByItsName() {
    ServerConfigBuilder settings = ServerConfig.builder();
    PRESENCE.apply(settings, "contacts");

    ServerConfig config = settings.build();

    assertThat(config.presenceMode()).isEqualTo(PresenceMode.CONTACTS);
    assertThat(config.toBuilder().build().presenceMode()).isEqualTo(PresenceMode.CONTACTS);
  }

  @Test
  void anyOtherValueIsRefusedWithTheModesNamed() {
    for (String text : new String[] {"friends", "Contacts", ""}) {
      assertThatThrownBy(() -> PRESENCE.check(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + text + "' is not a presence mode: everyone or contacts");
    }
  }
}
