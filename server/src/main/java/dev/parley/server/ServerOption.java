package dev.parley.server;

import dev.parley.protocol.PresenceMode;
import dev.parley.server.transport.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One setting of the server, declared once, in {@link ServerOptions}: its flag and environment
 * variable, its default, what it means, how its value is written and where the value goes in a
 * {@link ServerConfigBuilder}. The command line and its help are made from these declarations,
 * {@link ServerConfig#defaults()} from their defaults, and a test holds the README's table to them.
 *
 * @param flag the command-line flag, such as {@code --port}
 * @param environmentVariable the variable that sets the option when the flag is not given
 * @param label what kind of value it takes, for the help: {@code PORT}, {@code DURATION}
 * @param defaultValue the value when neither flag nor variable is given, as a person writes it;
 *     empty when the option is then simply not set
 * @param documentedDefault the default as the help and the README show it, when that is not the
 *     default value as written, or when the option has none but its absence means a value
 * @param summary what the option does; the help adds the variable and the default
 * @param details more help, after the summary, the variable and the default
 * @param kind how values are given on the command line
 * @param parser reads a value as written (a list: comma-separated); an {@link
 *     IllegalArgumentException} says what is wrong with it
 * @param target where a value goes
 */
public record ServerOption<T>(
    String flag,
    String environmentVariable,
    String label,
    Optional<String> defaultValue,
    Optional<String> documentedDefault,
    String summary,
    String details,
    Kind kind,
    Function<String, T> parser,
    BiConsumer<ServerConfigBuilder, T> target) {

  /** How an option's values are given on the command line. */
  public enum Kind {
    /** One value; the last one given counts. */
    VALUE,
    /** {@code true} or {@code false}; the flag alone means {@code true}. */
    SWITCH,
    /** Values that add up: the flag repeated, or values separated by commas. */
    LIST
  }

  /** An option that takes one value, with no default and no help yet. */
  static <T> ServerOption<T> value(
      String flag,
      String environmentVariable,
      String label,
      Function<String, T> parser,
      BiConsumer<ServerConfigBuilder, T> target) {
    return new ServerOption<>(
        flag,
        environmentVariable,
        label,
        Optional.empty(),
        Optional.empty(),
        "",
        "",
        Kind.VALUE,
        parser,
        target);
  }

  /** An option that is on or off, off unless given. */
  static ServerOption<Boolean> onOff(
      String flag, String environmentVariable, BiConsumer<ServerConfigBuilder, Boolean> target) {
    return new ServerOption<>(
        flag,
        environmentVariable,
        "BOOLEAN",
        Optional.of("false"),
        Optional.empty(),
        "",
        "",
        Kind.SWITCH,
        ServerOption::bool,
        target);
  }

  /** An option whose values add up to a list. */
  static ServerOption<List<String>> list(
      String flag,
      String environmentVariable,
      String label,
      BiConsumer<ServerConfigBuilder, List<String>> target) {
    return new ServerOption<>(
        flag,
        environmentVariable,
        label,
        Optional.empty(),
        Optional.empty(),
        "",
        "",
        Kind.LIST,
        text -> List.of(text.split(",", -1)),
        target);
  }

  ServerOption<T> byDefault(String value) {
    return new ServerOption<>(
        flag,
        environmentVariable,
        label,
        Optional.of(value),
        documentedDefault,
        summary,
        details,
        kind,
        parser,
        target);
  }

  ServerOption<T> documentedDefault(String text) {
    return new ServerOption<>(
        flag,
        environmentVariable,
        label,
        defaultValue,
        Optional.of(text),
        summary,
        details,
        kind,
        parser,
        target);
  }

  ServerOption<T> help(String summary) {
    return help(summary, "");
  }

  ServerOption<T> help(String summary, String details) {
    return new ServerOption<>(
        flag,
        environmentVariable,
        label,
        defaultValue,
        documentedDefault,
        summary,
        details,
        kind,
        parser,
        target);
  }

  /** Sets this option on {@code builder} to {@code text}, a value as a person writes it. */
  public void apply(ServerConfigBuilder builder, String text) {
    target.accept(builder, parser.apply(text));
  }

  /**
   * Checks that {@code text} is a value as this option reads it, before any is applied.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public void check(String text) {
    T unused = parser.apply(text);
  }

  /** The default as the help and the README show it, if the option has one. */
  public Optional<String> shownDefault() {
    return documentedDefault.or(() -> defaultValue);
  }

  /**
   * The help text: the summary, the environment variable in brackets, the default, and the details.
   * {@code defaultShownAs} turns the shown default into what the help prints for it.
   */
  public String describe(Function<String, String> defaultShownAs) {
    StringBuilder help = new StringBuilder(summary).append(" [").append(environmentVariable);
    help.append(']');
    if (defaultValue.isPresent()) {
      help.append(" (default: ").append(defaultShownAs.apply(shownDefault().orElseThrow()));
      help.append(')');
    }
    help.append('.');
    if (!details.isEmpty()) {
      help.append(' ').append(details);
    }
    return help.toString();
  }

  // How values are written; the messages are picocli's own for these types.

  static int integer(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an int", e);
    }
  }

  static double decimal(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a double", e);
    }
  }

  static boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not a boolean");
    };
  }

  static PresenceMode presenceMode(String text) {
    return PresenceMode.fromWireName(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + text + "' is not a presence mode: everyone or contacts"));
  }

  static Transport transport(String text) {
    return Transport.named(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + text + "' is not a transport: nio, epoll or io_uring"));
  }

  static Path path(String text) {
    return Path.of(text);
  }

  static String text(String text) {
    return text;
  }
}
