package dev.parley.bench.servers;

/**
 * What a scenario puts load on: one server process, or several nodes sharing Redis and PostgreSQL.
 * Clients of a crowd are dealt to the nodes in turn, by their index.
 */
public interface Deployment extends AutoCloseable {
  /** The port the client with {@code index} in its crowd connects to. */
  int port(int index);

  /** How many nodes serve clients. */
  int nodes();

  /** The node (0-based) the client with {@code index} connects to. */
  default int node(int index) {
    return Math.floorMod(index, nodes());
  }

  /**
   * CPU time (user + system, in seconds) used so far by the processes that serve clients: the
   * server, or every node, Redis and PostgreSQL.
   */
  double cpuSeconds();

  /** Resident memory of {@code node} (0-based), in bytes. */
  long rssBytes(int node);

  @Override
  void close();
}
