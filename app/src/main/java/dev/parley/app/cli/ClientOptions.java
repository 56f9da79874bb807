package dev.parley.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.parley.client.ParleyClient;
import dev.parley.client.ServerAddress;
import dev.parley.client.chat.ChatListener;
import dev.parley.client.link.WebRtcUnavailableException;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.server.LoginFailedException;
import dev.parley.client.server.NameTakenException;
import dev.parley.protocol.UserName;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The options every client command shares, and logging in with them. */
final class ClientOptions {
  @Option(
      names = "--server",
      paramLabel = "ADDRESS",
      defaultValue = "${env:PARLEY_SERVER:-" + ServerAddress.DEFAULT + "}",
      description =
          "The server, as you would type it: localhost:8080, http://host:port, https://host"
              + " (default: ${DEFAULT-VALUE}; env PARLEY_SERVER).")
  String server = ServerAddress.DEFAULT;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "${env:PARLEY_NAME}",
      description = "Your name on the server (env PARLEY_NAME).")
  @Nullable String name;

  @Option(
      names = "--profile",
      paramLabel = "DIR",
      description =
          "Where your identity key, pinned keys, history and outbox live (default: one per name"
              + " and server under ~/.parley/profiles).")
  @Nullable Path profile;

  @Option(
      names = "--downloads",
      paramLabel = "DIR",
      description = "Where received files are saved (default: the profile's files/ directory).")
  @Nullable Path downloads;

  @Option(names = "--verbose", description = "Log what the client does, on standard error.")
  boolean verbose;

  URI uri() {
    try {
      return ServerAddress.parse(server);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
  }

  UserName userName() {
    if (name == null || name.isBlank()) {
      throw new CliException(ExitCode.USAGE, "Say who you are with --name NAME.");
    }
    try {
      return new UserName(name);
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCode.USAGE, "'" + name + "' is not a usable name: " + e.getMessage());
    }
  }

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
      throw new CliException(ExitCode.UNREACHABLE, unreachable(e));
    } catch (ProfileException e) {
      throw new CliException(ExitCode.PROFILE, e.getMessage());
    } catch (WebRtcUnavailableException e) {
      throw new CliException(ExitCode.NO_WEBRTC, e.getMessage());
    }
  }

  private String unreachable(LoginFailedException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "Cannot reach a Parley server at "
            + server
            + " (connection refused); is it running? Start one with: ./parley server";
      }
      if (t instanceof java.net.http.HttpTimeoutException) {
        return "The Parley server at " + server + " did not answer in time.";
      }
    }
    if (e.getMessage() != null && e.getMessage().startsWith("cannot connect")) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "Cannot connect to a Parley server at " + server + ": " + root.getMessage() + ".";
    }
    return "The Parley server at " + server + " refused the login: " + e.getMessage() + ".";
  }

  /** Client commands talk to people: library logs only on request (or with PARLEY_LOG_LEVEL). */
  private void quietLogs() {
    if (verbose || System.getenv("PARLEY_LOG_LEVEL") != null) {
      return;
    }
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.ERROR);
    }
  }
}
