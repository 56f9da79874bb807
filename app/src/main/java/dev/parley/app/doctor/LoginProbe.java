package dev.parley.app.doctor;

import dev.parley.client.profile.Profile;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.server.LoginFailedException;
import dev.parley.client.server.NameTakenException;
import dev.parley.client.server.ServerConnection;
import java.net.URI;
import java.time.Duration;

/**
 * Logs in as a client does, with the profile's identity key (which registers the name if it is
 * new), to learn the ICE servers and TURN credentials the server hands out; logs out at once.
 */
final class LoginProbe {
  private LoginProbe() {}

  /**
   * Waits for the welcome at most {@code limit}; saying goodbye afterwards takes at most the
   * connection's own grace (two seconds).
   */
  static Login login(URI webSocket, Doctor.Account account, Duration limit) {
    try (Profile profile = Profile.open(account.profile())) {
      ServerConnection connection =
          new ServerConnection(webSocket, account.name(), profile.identity());
      try {
        return Bounded.within(
            limit,
            () -> welcome(connection, account),
            () -> new Login.Failed("no welcome within " + Addresses.text(limit)));
      } finally {
        connection.close();
      }
    } catch (ProfileException e) {
      return new Login.Failed(String.valueOf(e.getMessage()));
    }
  }

  private static Login welcome(ServerConnection connection, Doctor.Account account) {
    try {
      return new Login.Welcomed(connection.login().iceServers());
    } catch (NameTakenException e) {
      return new Login.Failed(
          "the name '"
              + account.name()
              + "' is registered to another identity key on this server (use the profile that"
              + " holds its key with --profile, or another name)");
    } catch (LoginFailedException e) {
      return new Login.Failed(String.valueOf(e.getMessage()));
    }
  }
}
