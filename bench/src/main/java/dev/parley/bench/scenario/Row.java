package dev.parley.bench.scenario;

import dev.parley.bench.servers.Target;
import java.util.EnumMap;
import java.util.Map;

/**
 * One figure measured on several targets.
 *
 * @param figure what was measured, with its unit
 * @param lowerIsBetter whether a smaller value is the better one (memory, latency, CPU)
 */
public record Row(String figure, boolean lowerIsBetter, Map<Target, Double> values) {
  public Row {
    values = new EnumMap<>(values);
  }

  public static Row lower(String figure) {
    return new Row(figure, true, new EnumMap<>(Target.class));
  }

  public static Row higher(String figure) {
    return new Row(figure, false, new EnumMap<>(Target.class));
  }

  public Row with(Target target, double value) {
    Map<Target, Double> more = new EnumMap<>(Target.class);
    more.putAll(values);
    more.put(target, value);
    return new Row(figure, lowerIsBetter, more);
  }
}
