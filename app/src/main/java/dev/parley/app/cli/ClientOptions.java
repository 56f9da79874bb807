package dev.parley.app.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.link.WebRtcUnavailableException;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.server.LoginFailedException;
import dev.parley.client.server.NameTakenException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options every chatting command shares, and logging in with them. */
final class ClientOptions extends ConnectionOptions {
  @Option(
      names = "--downloads",
      paramLabel = "DIR",
      description = "Where received files are saved (default: the profile's files/ directory).")
  @Nullable Path downloads;

  @Option(
      names = "--invite",
      paramLabel = "CODE",
      description =
          "An invite code from the server's operator, to register a new name on a server that"
              + " takes new names by invitation only; a name already registered needs none.")
  @Nullable String invite;

  static UserName peer(String typed) {
    try {
      return new UserName(typed);
    } catch (RuntimeException e) {
      throw new CliException(ExitCode.USAGE, "'" + typed + "' is not a user name.");
    }
  }

  /** Opens the profile and logs in; every startup problem becomes one sentence and an exit code. */
  ParleyClient connect(ChatListener listener) {
    quietLogs();
    URI uri = uri();
    UserName me = userName();
    ParleyClient.Builder builder = ParleyClient.builder(uri, me).listener(listener);
    if (profile != null) {
      builder.profile(profile);
    }
    if (downloads != null) {
      builder.downloads(downloads);
    }
    if (invite != null && !invite.isBlank()) {
      builder.invite(inviteCode(invite));
    }
    try {
      return builder.connect();
    } catch (NameTakenException e) {
      throw new CliException(
          ExitCode.NAME_TAKEN,
          "The name '"
              + me
              + "' is registered to another identity key on "
              + server
              + "; choose another name, or use the profile that holds its key (--profile).");
    } catch (LoginFailedException e) {
      throw new CliException(ExitCode.UNREACHABLE, refused(me, e));
    } catch (ProfileException e) {
      throw new CliException(ExitCode.PROFILE, e.getMessage());
    } catch (WebRtcUnavailableException e) {
      throw new CliException(ExitCode.NO_WEBRTC, e.getMessage());
    }
  }

  private static InviteCode inviteCode(String typed) {
    try {
      return new InviteCode(typed.strip());
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCode.USAGE, "'" + typed + "' is not an invite code: " + e.getMessage() + ".");
    }
  }

  private String refused(UserName me, LoginFailedException e) {
    ErrorCode code = e.code().orElse(null);
    if (code == ErrorCode.INVITE_REQUIRED) {
      return "The Parley server at "
          + server
          + " takes new names by invitation only, and '"
          + me
          + "' is not registered there: ask its operator for an invite code and add --invite"
          + " CODE.";
    }
    if (code == ErrorCode.INVITE_INVALID) {
      return "The Parley server at "
          + server
          + " did not take the invite code: it is mistyped, used already or expired. Check it, or"
          + " ask the server's operator for a new one.";
    }
    if (code == ErrorCode.STORAGE_FULL) {
      return "The Parley server at "
          + server
          + " cannot register '"
          + me
          + "' now: its disk is full. Names registered before log in as usual; try again later,"
          + " or tell the server's operator.";
    }
    return ServerTrouble.sentence(server, e)
        .orElseGet(
            () -> "The Parley server at " + server + " refused the login: " + e.getMessage() + ".");
  }
}
