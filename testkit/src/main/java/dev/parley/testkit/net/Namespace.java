package dev.parley.testkit.net;

/**
 * A network namespace of a {@link NetworkLab}: a machine of the lab, with its own interfaces,
 * routes, firewall and sockets. Run things in it with {@link NetworkLab#exec} and {@link
 * NetworkLab#start}.
 */
public record Namespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
