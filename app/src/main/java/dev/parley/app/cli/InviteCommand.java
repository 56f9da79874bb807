package dev.parley.app.cli;

import dev.parley.protocol.InviteCode;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerOptions;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.DirectoryException;
import dev.parley.server.directory.Invite;
import dev.parley.server.directory.InviteCodes;
import dev.parley.server.directory.JdbcDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley invite}: makes invite codes for a server that takes new names by invitation only,
 * in the database that server uses (which it may be using at the same moment).
 */
@Command(
    name = "invite",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    modelTransformer = InviteCommand.Options.class,
    description = {
      "Makes invite codes for a server run with --registration invite, and prints them, one a"
          + " line. Each registers one new name, once, before it expires; give each to one person.",
      "The server keeps only a hash of each code: a code cannot be shown again, so keep them now.",
      "Run it where the server runs, with the server's --data or --db-url (the server may be"
          + " running)."
    })
public final class InviteCommand extends ClientCommand {
  static final int MAX_COUNT = 1000;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

  @Spec CommandSpec spec;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "How many codes to make (default: ${DEFAULT-VALUE}, at most " + MAX_COUNT + ").")
  int count = 1;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      defaultValue = "7d",
      converter = DurationConverter.class,
      description = "How long the codes last: 12h, 7d, 30d (default: ${DEFAULT-VALUE}).")
  Duration lifetime = InviteCodes.DEFAULT_LIFETIME;

  @Option(
      names = "--list",
      description =
          "Make none; say how many codes are still open (unused, unexpired) and until when.")
  boolean list;

  /** Adds the server's database options, ahead of the standard help options. */
  public static final class Options implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
      return ServerSettings.add(command, ServerOptions.DATABASE);
    }
  }

  @Override
  int execute(PrintStream out, PrintStream err) {
    if (count < 1 || count > MAX_COUNT) {
      throw new CliException(ExitCode.USAGE, "--count takes 1 to " + MAX_COUNT + ".");
    }
    if (lifetime.isZero() || lifetime.isNegative()) {
      throw new CliException(ExitCode.USAGE, "--expires must be longer than 0.");
    }
    ServerConfig config;
    try {
      config = ServerSettings.config(spec, ServerOptions.DATABASE);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, String.valueOf(e.getMessage()));
    }
    Path file = JdbcDirectory.sqliteFile(config.dataDirectory());
    if (config.databaseUrl().isEmpty() && !Files.exists(file)) {
      throw new CliException(
          ExitCode.FAILURE,
          "There is no Parley database at "
              + file
              + ". Run this where the server runs, or give the server's --data (or --db-url).");
    }
    Instant now = Instant.now();
    try (Directory directory = ParleyServer.openDirectory(config)) {
      if (list) {
        err.println(open(directory.openInvites(now)));
        return ExitCode.OK;
      }
      List<InviteCode> codes = InviteCodes.issue(directory, count, lifetime, now);
      codes.forEach(code -> out.println(code.value()));
      err.println(
          (count == 1
                  ? "It registers one new name, once, until "
                  : "Each registers one new name, once, until ")
              + when(now.plus(lifetime))
              + " ("
              + span(lifetime)
              + "). The server takes codes only with --registration invite.");
      return ExitCode.OK;
    } catch (DirectoryException e) {
      throw new CliException(
          ExitCode.FAILURE,
          e.diskFull()
              ? capitalized(e.getMessage()) + "."
              : "Cannot use the Parley database: "
                  + e.getMessage()
                  + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "")
                  + ".");
    }
  }

  private static String capitalized(String sentence) {
    return sentence.isEmpty()
        ? sentence
        : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }

  private static String open(List<Invite> invites) {
    if (invites.isEmpty()) {
      return "No invite codes are open (all used or expired, or none made).";
    }
    String first = when(invites.getFirst().expires());
    if (invites.size() == 1) {
      return "1 invite code is open, until " + first + ".";
    }
    return invites.size()
        + " invite codes are open; the first expires "
        + first
        + ", the last "
        + when(invites.getLast().expires())
        + ".";
  }

  /** A time in the operator's time zone. */
  private static String when(Instant instant) {
    return WHEN.format(instant.atZone(ZoneId.systemDefault()));
  }

  /** A lifetime as people say it: 7 days, 12 hours, 90 minutes. */
  static String span(Duration lifetime) {
    if (lifetime.toDays() > 0 && lifetime.equals(Duration.ofDays(lifetime.toDays()))) {
      return plural(lifetime.toDays(), "day");
    }
    if (lifetime.toHours() > 0 && lifetime.equals(Duration.ofHours(lifetime.toHours()))) {
      return plural(lifetime.toHours(), "hour");
    }
    return plural(Math.max(1, lifetime.toMinutes()), "minute");
  }

  private static String plural(long amount, String unit) {
    return amount + " " + unit + (amount == 1 ? "" : "s");
  }
}
