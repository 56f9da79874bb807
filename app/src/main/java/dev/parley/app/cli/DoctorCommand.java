package dev.parley.app.cli;

import dev.parley.app.doctor.Checkup;
import dev.parley.app.doctor.Doctor;
import dev.parley.app.doctor.HumanReport;
import dev.parley.app.doctor.JsonReport;
import dev.parley.app.doctor.ServerUnreachableException;
import dev.parley.client.profile.Profile;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parley doctor}: checks what Parley needs from this network, and says what it means. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check this network for Parley, and say what it means for direct connections.",
      "It checks the server (HTTP and WebSocket), UDP to its STUN responder and the public address"
          + " it sees, how your NAT maps ports, and the server's TURN relay.",
      "The relay is tried only with a name (--name or PARLEY_NAME): the doctor logs in as that"
          + " name with its profile's identity key, as chat does, which registers the name on the"
          + " server if it is new.",
      "",
      "Exit codes: 0 the checks ran (whatever they found), 4 server unreachable, 2 usage."
    })
public final class DoctorCommand extends ClientCommand {
  @Mixin ConnectionOptions options;

  @Option(names = "--json", description = "Print one JSON object instead of lines for people.")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "The longest wait of each step (default: ${DEFAULT-VALUE}); the whole checkup takes at"
              + " most about six times that, and a few seconds more.")
  Duration timeout = Duration.ofSeconds(5);

  @Override
  int execute(PrintStream out, PrintStream err) {
    options.quietLogs();
    if (timeout.isZero()) {
      throw new CliException(ExitCode.USAGE, "--timeout must be longer than 0.");
    }
    URI uri = options.uri();
    Doctor.Target target =
        new Doctor.Target(
            options.server,
            uri,
            options
                .optionalUserName()
                .map(
                    name ->
                        new Doctor.Account(
                            name,
                            options.profile != null
                                ? options.profile
                                : Profile.defaultDir(uri, name))),
            timeout);
    Checkup checkup;
    try {
      checkup = Doctor.run(target);
    } catch (ServerUnreachableException e) {
      String sentence =
          ServerTrouble.sentence(options.server, e)
              .orElse("Cannot reach a Parley server at " + options.server + ".");
      if (json) {
        out.println(JsonReport.unreachable(options.server, sentence).toPrettyString());
      }
      err.println("parley: " + sentence);
      return ExitCode.UNREACHABLE;
    }
    if (json) {
      out.println(JsonReport.of(checkup).toPrettyString());
    } else {
      HumanReport.lines(checkup).forEach(out::println);
    }
    return ExitCode.OK;
  }
}
