package dev.parley.app;

import dev.parley.app.cli.ChatCommand;
import dev.parley.app.cli.DoctorCommand;
import dev.parley.app.cli.ReceiveCommand;
import dev.parley.app.cli.SendCommand;
import dev.parley.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parley} command: one entry point, a subcommand per job. */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    version = "Parley 0.1.0",
    subcommands = {
      ServerCommand.class,
      ChatCommand.class,
      SendCommand.class,
      ReceiveCommand.class,
      DoctorCommand.class
    },
    description = {
      "Parley: hybrid centralized and peer-to-peer chat.",
      "The server introduces people; their conversations flow directly between them."
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    quietExit();
    System.exit(code);
  }

  /**
   * webrtc-java 0.14.0 prints "Failed to attach thread" on standard output as the process exits
   * (its native threads cannot attach to a JVM that is going away; fixed upstream, not released).
   * That would end every {@code receive --json} stream with a line that is not JSON, so once all
   * our output is written, standard output is closed: the JDK then points it at /dev/null.
   */
  public static void quietExit() {
    System.out.flush();
    System.out.close();
  }
}
