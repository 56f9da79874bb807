package dev.parley.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's target, decoded once for every route: its path and its query's parameters.
 *
 * @param path the decoded path: "/" and what follows, or empty for a target without one ("?x")
 */
public record RequestTarget(String path, Map<String, List<String>> parameters) {
  public RequestTarget {
    parameters = Map.copyOf(parameters);
  }

  /**
   * The target of {@code uri}, or empty if it cannot be decoded: a {@code %} not followed by two
   * hex digits, on which Netty's decoder throws.
   */
  public static Optional<RequestTarget> of(String uri) {
    try {
      QueryStringDecoder decoder = new QueryStringDecoder(uri);
      return Optional.of(new RequestTarget(decoder.path(), decoder.parameters()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
