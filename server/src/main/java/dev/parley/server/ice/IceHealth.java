package dev.parley.server.ice;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.stun.StunService;
import java.util.List;

/** What {@code /health} says about STUN and TURN (docs/operations.md, "Monitoring"). */
public final class IceHealth {
  private IceHealth() {}

  public static ObjectNode stun(StunService.State state) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    switch (state) {
      case StunService.State.Listening listening -> {
        node.put("state", "listening").put("port", listening.port());
        listening.alternatePort().ifPresent(port -> node.put("alternatePort", port));
      }
      case StunService.State.Elsewhere elsewhere ->
          node.put("state", "elsewhere").put("port", elsewhere.port());
      case StunService.State.Unavailable unavailable ->
          node.put("state", "unavailable")
              .put("port", unavailable.port())
              .put("detail", unavailable.why());
      case StunService.State.Off off -> node.put("state", "off");
    }
    return node;
  }

  /**
   * {@code off} with no TURN configured; {@code checking} until the first self-check is done; then
   * {@code ok} if every URL allocated, else {@code failed}, with each URL's outcome.
   */
  public static ObjectNode turn(TurnCheck check) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (!check.enabled()) {
      return node.put("state", "off");
    }
    List<TurnCheck.Outcome> outcomes = check.outcomes();
    if (outcomes.isEmpty()) {
      return node.put("state", "checking");
    }
    node.put("state", outcomes.stream().allMatch(TurnCheck.Outcome::ok) ? "ok" : "failed");
    var urls = node.putArray("urls");
    for (TurnCheck.Outcome outcome : outcomes) {
      urls.addObject()
          .put("url", outcome.url())
          .put("ok", outcome.ok())
          .put("checked", outcome.at().toString())
          .put("detail", TurnCheck.describe(outcome));
    }
    return node;
  }
}
