package dev.parley.bench.servers;

import dev.parley.testkit.LocalCluster;
import java.nio.file.Path;
import java.util.List;

/**
 * Several Parley nodes on loopback, each a process of its own, sharing Redis and PostgreSQL (the
 * test kit's {@link LocalCluster}). Clients connect to the nodes themselves, dealt in turn, so that
 * a scenario knows which node each is on: a relay then crosses nodes by construction. The cluster's
 * HAProxy runs, but nothing measured passes through it.
 */
final class ClusterDeployment implements Deployment {
  private final LocalCluster cluster;

  private ClusterDeployment(LocalCluster cluster) {
    this.cluster = cluster;
  }

  static ClusterDeployment start(
      int nodes, Path directory, List<String> launcher, List<String> options) {
    return new ClusterDeployment(LocalCluster.start(nodes, directory, launcher, options));
  }

  @Override
  public int port(int index) {
    return cluster.port(node(index) + 1);
  }

  @Override
  public int nodes() {
    return cluster.size();
  }

  /** Every node, Redis and PostgreSQL (its postmaster and backends). */
  @Override
  public double cpuSeconds() {
    double sum =
        ProcStats.cpuSeconds(cluster.redis().pid())
            + ProcStats.treeCpuSeconds(cluster.postgres().pid());
    for (int n = 1; n <= nodes(); n++) {
      sum += ProcStats.cpuSeconds(cluster.pid(n));
    }
    return sum;
  }

  @Override
  public long rssBytes(int node) {
    return ProcStats.rssBytes(cluster.pid(node + 1));
  }

  @Override
  public void close() {
    cluster.close();
  }
}
