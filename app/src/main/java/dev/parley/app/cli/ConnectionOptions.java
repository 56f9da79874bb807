package dev.parley.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.parley.client.ServerAddress;
import dev.parley.protocol.UserName;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The options that say which server and who you are on it: every command that talks to a server has
 * them ({@link ClientOptions} adds what the chatting commands need besides).
 */
class ConnectionOptions {
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
    return optionalUserName()
        .orElseThrow(() -> new CliException(ExitCode.USAGE, "Say who you are with --name NAME."));
  }

  /** The name, if one was given (a malformed one is a usage error all the same). */
  Optional<UserName> optionalUserName() {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new UserName(name));
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCode.USAGE, "'" + name + "' is not a usable name: " + e.getMessage());
    }
  }

  /** Client commands talk to people: library logs only on request (or with PARLEY_LOG_LEVEL). */
  void quietLogs() {
    if (verbose || System.getenv("PARLEY_LOG_LEVEL") != null) {
      return;
    }
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.ERROR);
    }
  }
}
