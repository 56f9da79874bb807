package dev.parley.app.cli;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerOptions;
import dev.parley.server.StartFailure;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code parley server}: runs the server until it is stopped (Ctrl-C or SIGTERM). Its options are
 * not written here but made from the server's declarations ({@link ServerSettings}).
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    modelTransformer = ServerCommand.Options.class,
    description = {
      "Runs the Parley server: directory, presence, signaling relay and the web client.",
      "Every option can also be set by the environment variable shown in brackets."
    })
public final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Adds the declared options to the command, ahead of the standard help options. */
  public static final class Options implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
      return ServerSettings.add(command, ServerOptions.ALL);
    }
  }

  /** Builds the configuration the options describe. */
  ServerConfig config() {
    return ServerSettings.config(spec, ServerOptions.ALL);
  }

  @Override
  public Integer call() {
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("parley server: " + e.getMessage());
      return 2;
    }
    ParleyServer server;
    try {
      server = ParleyServer.start(config);
    } catch (RuntimeException e) {
      System.err.println("parley server: " + StartFailure.explain(e, config));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "shutdown"));
    StartupMessage.lines(config, server).forEach(System.out::println);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
