package dev.parley.client.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.Signature;

/**
 * The {@code data} of a signal between two clients (docs/p2p.md): what the server relays unread.
 * Every kind names the {@code link} it belongs to, chosen by the side that offers.
 */
sealed interface LinkSignal {

  String link();

  SignalKind kind();

  /** An offer or an answer: our own SDP and our signature of its DTLS fingerprint. */
  record Description(SignalKind kind, String link, String sdp, Signature signature)
      implements LinkSignal {}

  /** One of our ICE candidates, in the shape of the browser's {@code RTCIceCandidate}. */
  record Candidate(String link, String candidate, String sdpMid, int sdpMLineIndex)
      implements LinkSignal {
    @Override
    public SignalKind kind() {
      return SignalKind.CANDIDATE;
    }
  }

  /** The link is over, or refused; {@code reason} is a code, {@code message} for people. */
  record Hangup(String link, String reason, String message) implements LinkSignal {
    @Override
    public SignalKind kind() {
      return SignalKind.HANGUP;
    }
  }

  default JsonNode toJson() {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("link", link());
    switch (this) {
      case Description d -> data.put("sdp", d.sdp()).put("signature", d.signature().encoded());
      case Candidate c ->
          data.put("candidate", c.candidate())
              .put("sdpMid", c.sdpMid())
              .put("sdpMLineIndex", c.sdpMLineIndex());
      case Hangup h -> data.put("reason", h.reason()).put("message", h.message());
    }
    return data;
  }

  /**
   * Reads the {@code data} of a relayed signal.
   *
   * @throws IllegalArgumentException if a field is missing or malformed
   */
  static LinkSignal of(SignalKind kind, JsonNode data) {
    String link = text(data, "link");
    try {
      return switch (kind) {
        case OFFER, ANSWER ->
            new Description(kind, link, text(data, "sdp"), new Signature(text(data, "signature")));
        case CANDIDATE ->
            new Candidate(
                link,
                text(data, "candidate"),
                data.path("sdpMid").asText(""),
                data.path("sdpMLineIndex").asInt(0));
        case HANGUP ->
            new Hangup(link, data.path("reason").asText("closed"), data.path("message").asText(""));
      };
    } catch (ProtocolException e) {
      throw new IllegalArgumentException("malformed " + kind.wireName() + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode data, String field) {
    JsonNode value = data.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("the signal has no text field '" + field + "'");
    }
    return value.textValue();
  }
}
