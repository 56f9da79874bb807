package dev.parley.app.cli;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.ServerConfigBuilder;
import dev.parley.server.ServerOption;
import dev.parley.server.ServerOptions;
import dev.parley.server.StartFailure;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code parley server}: runs the server until it is stopped (Ctrl-C or SIGTERM). Its options are
 * not written here but made from the server's declarations ({@link ServerOptions}): each takes its
 * value from the flag, else from its environment variable, else from its default.
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
      List<OptionSpec> standard = List.copyOf(command.options());
      standard.forEach(command::remove);
      ServerOptions.ALL.forEach(option -> command.addOption(optionSpec(option)));
      standard.forEach(command::addOption);
      return command;
    }

    private static OptionSpec optionSpec(ServerOption<?> option) {
      OptionSpec.Builder spec =
          OptionSpec.builder(option.flag())
              .paramLabel(option.label())
              .description(
                  option.describe(
                      shown ->
                          option
                              .defaultValue()
                              .map(value -> shown.replace(value, "${DEFAULT-VALUE}"))
                              .orElse(shown)))
              .defaultValue(
                  "${env:"
                      + option.environmentVariable()
                      + option.defaultValue().map(value -> ":-" + value).orElse("")
                      + "}");
      CommandLine.ITypeConverter<String> checked = text -> checked(option, text);
      return switch (option.kind()) {
        case VALUE -> spec.type(String.class).converters(checked).build();
        case SWITCH ->
            spec.type(String.class).arity("0..1").fallbackValue("true").converters(checked).build();
        case LIST -> spec.type(List.class).auxiliaryTypes(String.class).splitRegex(",").build();
      };
    }

    /** {@code text} if the option can read it; what is wrong with it otherwise. */
    private static String checked(ServerOption<?> option, String text) {
      try {
        option.check(text);
        return text;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(String.valueOf(e.getMessage()));
      }
    }
  }

  /** Builds the configuration the options describe. */
  ServerConfig config() {
    ServerConfigBuilder settings = ServerConfig.builder();
    for (ServerOption<?> option : ServerOptions.ALL) {
      Object value = spec.findOption(option.flag()).getValue();
      if (value instanceof List<?> values) {
        option.apply(settings, String.join(",", values.stream().map(String::valueOf).toList()));
      } else if (value != null) {
        option.apply(settings, value.toString());
      }
    }
    return settings.build();
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
