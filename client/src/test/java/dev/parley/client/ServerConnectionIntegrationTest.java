package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.server.LoginFailedException;
import dev.parley.client.server.NameTakenException;
import dev.parley.client.server.ServerConnection;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.OnlineUser;
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

    OnlineUser joined = Recorder.next(alice.events().joined);
    assertThat(joined.name().value()).isEqualTo("bob");
    assertThat(joined.publicKey()).isEqualTo(bed.identity("bob").publicKey());
    assertThat(bob.client().server().online()).containsExactly(new UserName("alice"));
    assertThat(bob.client().server().onlineKey(new UserName("alice")))
        .contains(bed.identity("alice").publicKey());
    assertThat(bob.client().server().iceServers()).isEmpty();

    bob.client().close();
    assertThat(Recorder.next(alice.events().left)).isEqualTo(new UserName("bob"));
    assertThat(alice.client().server().online()).isEmpty();
  }

  @Test
  void theRegisteredSpellingOfTheNameIsKept() {
    bed.login("Alice").client().close();

    assertThat(bed.login("ALICE").client().name().value()).isEqualTo("Alice");
  }

  @Test
  void aNameTakenByAnotherKeyIsRefusedWithNameTakenException() {
    bed.login("alice");

    assertThatThrownBy(
            () ->
                bed.login(
                    "alice",
                    bed.ws(),
                    Identity.generate(),
                    new dev.parley.client.trust.MemoryKeyPins()))
        .isInstanceOf(NameTakenException.class)
        .hasMessageContaining("'alice' is taken")
        .satisfies(e -> assertThat(((NameTakenException) e).code()).contains(ErrorCode.NAME_TAKEN));
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
