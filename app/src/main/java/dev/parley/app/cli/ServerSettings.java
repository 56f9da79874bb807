package dev.parley.app.cli;

import dev.parley.server.ServerConfig;
import dev.parley.server.ServerConfigBuilder;
import dev.parley.server.ServerOption;
import dev.parley.server.ServerOptions;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options of the server, made from its declarations ({@link ServerOptions}) rather than written
 * here: {@code parley server} has them all, {@code parley invite} those that say where the database
 * is. Each takes its value from the flag, else from its environment variable, else from its
 * default.
 */
final class ServerSettings {
  private ServerSettings() {}

  /** Adds {@code options} to {@code command}, ahead of its standard help options. */
  static CommandSpec add(CommandSpec command, List<ServerOption<?>> options) {
    List<OptionSpec> standard = List.copyOf(command.options());
    standard.forEach(command::remove);
    options.forEach(option -> command.addOption(optionSpec(option)));
    standard.forEach(command::addOption);
    return command;
  }

  /** The configuration {@code options}, as parsed on {@code command}, describe. */
  static ServerConfig config(CommandSpec command, List<ServerOption<?>> options) {
    ServerConfigBuilder settings = ServerConfig.builder();
    for (ServerOption<?> option : options) {
      Object value = command.findOption(option.flag()).getValue();
      if (value instanceof List<?> values) {
        option.apply(settings, String.join(",", values.stream().map(String::valueOf).toList()));
      } else if (value != null) {
        option.apply(settings, value.toString());
      }
    }
    return settings.build();
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
