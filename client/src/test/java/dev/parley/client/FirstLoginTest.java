package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.server.LoginFailedException;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FirstLoginTest {
  @TempDir Path data;

  @Test
  void aFirstLoginThatFailsLeavesNoProfileBehind() throws IOException {
    Path profile = data.resolve("alice");

    assertThatThrownBy(
            () ->
                ParleyClient.builder(nobodyListening(), new UserName("alice"))
                    .profile(profile)
                    .connect())
        .isInstanceOf(LoginFailedException.class);

    assertThat(profile).doesNotExist();
  }

  @Test
  void aProfileThatWasThereBeforeIsKept() throws IOException {
    Path profile = data.resolve("bob");
    Files.createDirectories(profile);

    assertThatThrownBy(
            () ->
                ParleyClient.builder(nobodyListening(), new UserName("bob"))
                    .profile(profile)
                    .connect())
        .isInstanceOf(LoginFailedException.class);

    assertThat(profile).isDirectory();
  }

  /** A loopback port that was free a moment ago: connections to it are refused. */
  private static URI nobodyListening() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + "/ws");
    }
  }
}
