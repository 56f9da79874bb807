package dev.parley.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * Whom a server tells a client about, as its {@code welcome} says: everyone online, or only the
 * names the client watches. The server runs one mode for every client ({@code --presence}).
 */
public enum PresenceMode {
  /**
   * The welcome lists everyone online and every join and leave goes to everyone: simple, and the
   * default, but a login costs in proportion to the number online.
   */
  EVERYONE("everyone"),

  /**
   * The welcome lists nobody; a client sends {@code watch} with the names it cares about and hears
   * only of those, so that what a login or a join costs does not grow with the number online.
   */
  CONTACTS("contacts");

  private final String wireName;

  PresenceMode(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The mode as the welcome's {@code presence} field and the {@code --presence} option write it.
   */
  public String wireName() {
    return wireName;
  }

  /** The mode with this wire name, if there is one. */
  public static Optional<PresenceMode> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(mode -> mode.wireName.equals(wireName)).findFirst();
  }
}
