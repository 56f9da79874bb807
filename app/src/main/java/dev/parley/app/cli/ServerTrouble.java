package dev.parley.app.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One sentence for a server that cannot be reached, said alike by the client commands and {@code
 * parley doctor}. The JDK's HTTP client wraps the cause that matters a few layers deep (a {@code
 * ConnectException} without a message around the one that says "Connection refused"), so the whole
 * chain of causes is read.
 */
final class ServerTrouble {
  private ServerTrouble() {}

  /**
   * What went wrong reaching {@code server} (as the user typed it), if {@code problem} is network
   * trouble; empty if it is something else, such as a refused login.
   */
  static Optional<String> sentence(String server, Throwable problem) {
    List<Throwable> chain = chain(problem);
    if (has(chain, UnresolvedAddressException.class) || has(chain, UnknownHostException.class)) {
      return Optional.of(
          "Cannot find the Parley server at " + server + ": its name does not resolve.");
    }
    if (has(chain, HttpTimeoutException.class)) {
      return Optional.of("The Parley server at " + server + " did not answer in time.");
    }
    if (has(chain, SSLException.class)) {
      return Optional.of(tls(server, chain));
    }
    if (has(chain, ConnectException.class)) {
      String why =
          chain.stream()
              .filter(ConnectException.class::isInstance)
              .map(Throwable::getMessage)
              .filter(Objects::nonNull)
              .findFirst()
              .orElse("Connection refused");
      if (why.toLowerCase(Locale.ROOT).contains("refused")) {
        return Optional.of(
            "Cannot reach a Parley server at "
                + server
                + " (connection refused); is it running? Start one with: ./parley server");
      }
      return Optional.of(
          "Cannot reach a Parley server at " + server + ": " + sentenceEnd(lower(why)));
    }
    if (has(chain, IOException.class)) {
      return Optional.of(
          "Cannot connect to a Parley server at "
              + server
              + ": "
              + sentenceEnd(deepestMessage(chain)));
    }
    return Optional.empty();
  }

  private static String tls(String server, List<Throwable> chain) {
    String messages =
        String.join(
            " ", chain.stream().map(Throwable::getMessage).filter(Objects::nonNull).toList());
    if (messages.contains("PKIX") || messages.contains("certification path")) {
      return "The Parley server at "
          + server
          + " has a TLS certificate this computer does not trust (self-signed, or from an"
          + " authority it does not know).";
    }
    if (messages.contains("No subject alternative") || messages.contains("No name matching")) {
      return "The TLS certificate of the Parley server at " + server + " is not for that name.";
    }
    if (messages.contains("nrecognized SSL message")) {
      return "The server at " + server + " does not speak TLS there; try http:// instead.";
    }
    return "TLS with the Parley server at "
        + server
        + " failed: "
        + sentenceEnd(deepestMessage(chain));
  }

  private static List<Throwable> chain(Throwable problem) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = problem; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
    return chain.stream().anyMatch(type::isInstance);
  }

  /** The deepest message, where the JDK puts the specific one. */
  private static String deepestMessage(List<Throwable> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      if (chain.get(i).getMessage() != null) {
        return chain.get(i).getMessage();
      }
    }
    return chain.get(0).toString();
  }

  /** A JDK message as the end of our sentence: one full stop, not "?." or "..". */
  private static String sentenceEnd(String message) {
    return message.endsWith(".") || message.endsWith("?") ? message : message + ".";
  }

  private static String lower(String message) {
    return message.isEmpty()
        ? message
        : Character.toLowerCase(message.charAt(0)) + message.substring(1);
  }
}
