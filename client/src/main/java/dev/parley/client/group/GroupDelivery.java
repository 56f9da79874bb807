package dev.parley.client.group;

import dev.parley.protocol.UserName;
import java.util.Set;

/**
 * Who of an entry's recipients (its author aside) hold it, as far as they told us: "delivered to
 * {@link #delivered} of {@link #of}".
 */
public record GroupDelivery(Set<UserName> holding, Set<UserName> recipients) {
  public GroupDelivery {
    holding = Set.copyOf(holding);
    recipients = Set.copyOf(recipients);
  }

  public int delivered() {
    return holding.size();
  }

  public int of() {
    return recipients.size();
  }

  @Override
  public String toString() {
    return "delivered to " + delivered() + " of " + of();
  }
}
