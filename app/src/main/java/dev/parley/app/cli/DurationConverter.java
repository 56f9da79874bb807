package dev.parley.app.cli;

import dev.parley.server.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads a duration option of a client command as the server's options read theirs: {@code 500ms},
 * {@code 15s}, {@code 2m}, {@code 1h}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(String.valueOf(e.getMessage()));
    }
  }
}
