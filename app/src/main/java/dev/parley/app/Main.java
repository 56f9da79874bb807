package dev.parley.app;

import dev.parley.app.cli.ChatCommand;
import dev.parley.app.cli.DoctorCommand;
import dev.parley.app.cli.InviteCommand;
import dev.parley.app.cli.QuietExit;
import dev.parley.app.cli.ReceiveCommand;
import dev.parley.app.cli.SendCommand;
import dev.parley.app.cli.ServerCommand;
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
      DoctorCommand.class,
      InviteCommand.class
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
    QuietExit.closeStandardOutput();
    System.exit(code);
  }
}
