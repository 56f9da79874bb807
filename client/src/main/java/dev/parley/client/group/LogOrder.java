package dev.parley.client.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The order every member shows a log in (docs/p2p.md, "Order"): Kahn's algorithm, always taking,
 * among the entries whose parents are all taken, the one with the smallest hash. An entry added
 * later that nothing held descends from leaves the order of the others as it was.
 */
final class LogOrder {
  private LogOrder() {}

  static List<LogNode> of(Collection<LogNode> nodes) {
    Map<LogNode, Integer> waiting = new HashMap<>();
    PriorityQueue<LogNode> ready = new PriorityQueue<>(Comparator.comparing((LogNode n) -> n.hash));
    for (LogNode node : nodes) {
      waiting.put(node, node.parents.size());
      if (node.parents.isEmpty()) {
        ready.add(node);
      }
    }
    List<LogNode> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      LogNode next = ready.poll();
      order.add(next);
      for (LogNode child : next.children) {
        Integer left = waiting.computeIfPresent(child, (c, n) -> n - 1);
        if (left != null && left == 0) {
          ready.add(child);
        }
      }
    }
    return order;
  }
}
