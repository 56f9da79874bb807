package dev.parley.app.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.stun.TurnProbeResult;

/**
 * The checkup for scripts: one JSON object, its fields documented in docs/client.md ("Checking your
 * network"). Each check has a {@code detail}: the sentence the human report prints.
 */
public final class JsonReport {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonReport() {}

  public static ObjectNode of(Checkup checkup) {
    ObjectNode root = JSON.objectNode();
    root.set("server", server(checkup));
    root.set("webSocket", webSocket(checkup.webSocket()));
    root.set("stun", stun(checkup.stun()));
    root.set("nat", nat(checkup.nat()));
    root.set("relay", relay(checkup.relay()));
    root.set("turn", turn(checkup.relay()));
    Verdict verdict = checkup.verdict();
    root.putObject("verdict")
        .put("text", verdict.text())
        .put("relayNeeded", verdict.relayNeeded().wireName())
        .put("relay", verdict.relay().wireName());
    return root;
  }

  /** The object printed when the server does not answer: {@code sentence} says why. */
  public static ObjectNode unreachable(String address, String sentence) {
    ObjectNode root = JSON.objectNode();
    root.putObject("server")
        .put("address", address)
        .put("reachable", false)
        .put("detail", sentence);
    return root;
  }

  private static ObjectNode server(Checkup checkup) {
    ServerCheck server = checkup.server();
    ObjectNode node = JSON.objectNode().put("address", checkup.address()).put("reachable", true);
    ObjectNode http =
        node.putObject("http")
            .put("url", server.url().toString())
            .put("status", server.status())
            .put("millis", server.took().toMillis());
    server.health().status().ifPresent(status -> http.put("health", status));
    node.put("detail", server.describe());
    return node;
  }

  private static ObjectNode webSocket(WebSocketCheck check) {
    ObjectNode node = JSON.objectNode().put("url", check.url().toString());
    switch (check) {
      case WebSocketCheck.Answered answered ->
          node.put("ok", true).put("millis", answered.took().toMillis());
      case WebSocketCheck.Failed failed -> node.put("ok", false);
    }
    return node.put("detail", check.describe());
  }

  private static ObjectNode stun(StunCheck check) {
    ObjectNode node = JSON.objectNode();
    switch (check) {
      case StunCheck.Mapped mapped -> {
        node.put("result", "mapped")
            .put("server", Addresses.text(mapped.server()))
            .put("publicAddress", Addresses.text(mapped.publicAddress()));
        mapped.local().ifPresent(local -> node.put("localAddress", Addresses.text(local)));
        node.put("behindNat", mapped.behindNat()).put("millis", mapped.took().toMillis());
      }
      case StunCheck.NoAnswer noAnswer ->
          node.put("result", "no-answer").put("server", Addresses.text(noAnswer.server()));
      case StunCheck.Failed failed -> node.put("result", "failed").put("server", failed.server());
      case StunCheck.NotOffered notOffered -> node.put("result", "not-offered");
    }
    return node.put("detail", check.describe());
  }

  private static ObjectNode nat(NatCheck check) {
    ObjectNode node = JSON.objectNode().put("mapping", check.mapping().wireName());
    if (check instanceof NatCheck.Compared compared) {
      node.put("alternateServer", Addresses.text(compared.alternateServer()))
          .put("publicAddress", Addresses.text(compared.first()))
          .put("alternatePublicAddress", Addresses.text(compared.second()));
    }
    return node.put("detail", check.describe());
  }

  private static ObjectNode relay(RelayCheck check) {
    String result =
        switch (check) {
          case RelayCheck.Probed probed -> "checked";
          case RelayCheck.NotOffered none -> "not-offered";
          case RelayCheck.NotChecked notChecked -> "not-checked";
        };
    ObjectNode node = JSON.objectNode().put("result", result);
    if (!(check instanceof RelayCheck.Probed)) {
      node.put("detail", check.describe().get(0));
    }
    return node;
  }

  private static ArrayNode turn(RelayCheck check) {
    ArrayNode array = JSON.arrayNode();
    if (!(check instanceof RelayCheck.Probed probed)) {
      return array;
    }
    for (TurnAttempt attempt : probed.attempts()) {
      ObjectNode node =
          array
              .addObject()
              .put("url", attempt.url())
              .put("transport", attempt.overTcp() ? "tcp" : "udp")
              .put("result", attempt.outcome());
      switch (attempt.result()) {
        case TurnProbeResult.Allocated a ->
            node.put("relayedAddress", Addresses.text(a.relayedAddress()))
                .put("mappedAddress", Addresses.text(a.mappedAddress()));
        case TurnProbeResult.Refused r -> node.put("code", r.code()).put("reason", r.reason());
        case TurnProbeResult.Unreachable u -> {}
      }
      node.put("detail", attempt.describe());
    }
    return array;
  }
}
