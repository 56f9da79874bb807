package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.profile.ProfileException;
import dev.parley.client.server.LoginFailedException;
import dev.parley.client.server.NameTakenException;
import dev.parley.client.server.ServerConnection;
import dev.parley.client.server.ServerState;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ServerConnectionIntegrationTest {
  @TempDir Path data;
  private TestBed bed;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void twoClientsLogInAndSeeEachOther() {
    TestBed.Peer alice = bed.login("alice");
    TestBed.Peer bob = bed.login("bob");

    assertThat(Recorder.next(alice.events().joined)).isEqualTo(new UserName("bob"));
    assertThat(bob.client().online()).containsExactly(new UserName("alice"));
    assertThat(Recorder.next(alice.events().states)).isEqualTo(ServerState.ONLINE);

    bob.client().close();
    assertThat(Recorder.next(alice.events().left)).isEqualTo(new UserName("bob"));
    assertThat(alice.client().online()).isEmpty();
  }

  @Test
  void theProfileKeepsTheIdentityAndTheRegisteredSpelling() {
    ParleyClient first = bed.login("Alice").client();
    var key = first.publicKey();
    first.close();

    ParleyClient again = bed.login("ALICE").client();
    assertThat(again.name().value()).isEqualTo("Alice");
    assertThat(again.publicKey()).isEqualTo(key);
  }

  @Test
  void aNameTakenByAnotherKeyIsRefusedWithNameTakenException() {
    bed.login("alice");

    assertThatThrownBy(
            () ->
                ParleyClient.builder(bed.ws(), new UserName("alice"))
                    .profile(data.resolve("someone-else"))
                    .connect())
        .isInstanceOf(NameTakenException.class)
        .hasMessageContaining("'alice' is taken")
        .satisfies(e -> assertThat(((NameTakenException) e).code()).contains(ErrorCode.NAME_TAKEN));
  }

  @Test
  void aProfileInUseIsRefusedWithAClearMessage() {
    bed.login("alice");

    assertThatThrownBy(() -> bed.login("alice"))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("in use by another Parley process");
  }

  @Test
  void anUnreachableServerIsALoginFailure() {
    int port = bed.server().port();
    bed.server().close();

    var connection =
        new ServerConnection(
            URI.create("ws://127.0.0.1:" + port + "/ws"),
            new UserName("alice"),
            Identity.generate());
    assertThatThrownBy(connection::login)
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("cannot connect");
  }
}
