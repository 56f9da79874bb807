package dev.parley.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * JSON as the protocol reads and writes it, for both directions. Reading is strict: bytes that are
 * not well-formed UTF-8 ({@link Utf8}), duplicate keys, anything after the object, numbers past a
 * 64-bit float's range and anything past the limits below are {@code bad_json}, never a guess, and
 * the error names the limit in the protocol's words (docs/protocol.md lists them). Strings have no
 * limit of their own: the frame's size bounds them.
 */
public final class Json {
  /** Arrays and objects inside one another, at most. */
  public static final int MAX_NESTING = 32;

  /** Characters of one number, at most: far more than any double or 64-bit integer needs. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Characters of one key, at most: WebRTC's and PeerJS's keys are a few characters long. */
  public static final int MAX_KEY_LENGTH = 256;

  private static final String OUT_OF_RANGE =
      "a number is beyond the range of a 64-bit float, the protocol's limit";

  static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .maxNameLength(MAX_KEY_LENGTH)
                          .build())
                  .build())
          .setNodeFactory(new FiniteNumbers());

  private Json() {}

  /** Parses any JSON text under the protocol's limits; for the opaque {@code data} of a signal. */
  public static JsonNode parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses any JSON text, given as UTF-8 bytes, under the protocol's limits. */
  public static JsonNode parse(byte[] utf8) {
    requireUtf8(utf8);
    try {
      return MAPPER.readTree(utf8);
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, problem(e));
    } catch (OutOfRangeException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, OUT_OF_RANGE);
    }
  }

  /**
   * Parses a message object field by field. With {@code dataAsText}, a {@code data} object is not
   * built into a tree: the parser reads through it (so its limits, duplicate keys, nesting, UTF-8
   * and the range of numbers, apply to it as to the rest) and its byte span is kept; the tree holds
   * an empty object in its place.
   */
  static JsonFields fields(byte[] utf8, boolean dataAsText) {
    requireUtf8(utf8);
    ObjectNode node = MAPPER.createObjectNode();
    byte[] dataText = null;
    try (JsonParser parser = MAPPER.createParser(utf8)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        if (first != null) {
          MAPPER.readTree(parser); // report malformed JSON as such, not as "not an object"
        }
        throw new ProtocolException(ErrorCode.BAD_JSON, "a message must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (dataAsText && value == JsonToken.START_OBJECT && name.equals("data")) {
          int start = (int) parser.currentTokenLocation().getByteOffset();
          readThrough(parser);
          int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
          dataText = Arrays.copyOfRange(utf8, start, end);
          node.set(name, MAPPER.createObjectNode());
          continue;
        }
        node.set(name, value(parser, value));
      }
      if (parser.nextToken() != null) {
        throw new ProtocolException(ErrorCode.BAD_JSON, "trailing data after the JSON object");
      }
    } catch (IOException e) {
      // A ref read before the fault is the client's way to match this error to what it sent.
      throw new ProtocolException(ErrorCode.BAD_JSON, problem(e), ref(node));
    } catch (OutOfRangeException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, OUT_OF_RANGE, ref(node));
    }
    return new JsonFields(node, ref(node), dataText);
  }

  /**
   * Reads through the object or array the parser is at, to its end, as {@link
   * JsonParser#skipChildren} does, and checks the range of its numbers as a tree would.
   */
  private static void readThrough(JsonParser parser) throws IOException {
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IOException("the input ends inside an object");
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_NUMBER_FLOAT -> finite(parser.getDoubleValue());
        default -> {}
      }
    }
  }

  private static double finite(double value) {
    if (!Double.isFinite(value)) {
      throw new OutOfRangeException();
    }
    return value;
  }

  /**
   * A number past a 64-bit float's range (1e400), read as infinite. Jackson would write it back as
   * the string "Infinity", so a relay (PeerJS's re-encodes what it forwards) or a decoded message
   * encoded again would change it; it is refused instead, as RFC 8259 section 6 lets a reader do.
   */
  private static final class OutOfRangeException extends RuntimeException {
    OutOfRangeException() {
      super(OUT_OF_RANGE, null, false, false);
    }
  }

  /** Makes the trees' nodes; refuses the numbers that no double holds. */
  private static final class FiniteNumbers extends JsonNodeFactory {
    @Override
    public NumericNode numberNode(double value) {
      return super.numberNode(finite(value));
    }

    @Override
    public NumericNode numberNode(float value) {
      return super.numberNode((float) finite(value));
    }
  }

  private static void requireUtf8(byte[] bytes) {
    int at = Utf8.firstMalformed(bytes);
    if (at >= 0) {
      throw new ProtocolException(
          ErrorCode.BAD_JSON, "not valid JSON: the bytes are not UTF-8 from byte " + at);
    }
  }

  private static @Nullable String ref(ObjectNode node) {
    JsonNode ref = node.get("ref");
    return ref != null && ref.isTextual() && ref.textValue().length() <= ClientCodec.MAX_REF_LENGTH
        ? ref.textValue()
        : null;
  }

  /**
   * The value at the parser's current token. Strings and small integers, which is what a message's
   * own fields are, are made directly; anything else goes through the mapper (one deserialization
   * context per call, which is what made this worth doing at relay rates).
   */
  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> TextNode.valueOf(parser.getText());
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.INT
              ? IntNode.valueOf(parser.getIntValue())
              : MAPPER.readTree(parser);
      case VALUE_NULL -> NullNode.getInstance();
      default -> {
        JsonNode child = MAPPER.readTree(parser);
        yield child == null ? NullNode.getInstance() : child;
      }
    };
  }

  /**
   * What is wrong with the text, in the protocol's words: which limit it broke, or the parser's own
   * first line for text that is not JSON at all.
   */
  private static String problem(IOException e) {
    if (e instanceof StreamConstraintsException) {
      String detail = String.valueOf(e.getMessage());
      if (detail.contains("getMaxNumberLength")) {
        return "a number is longer than " + MAX_NUMBER_LENGTH + " characters, the protocol's limit";
      }
      if (detail.contains("getMaxNameLength")) {
        return "a key is longer than " + MAX_KEY_LENGTH + " characters, the protocol's limit";
      }
      if (detail.contains("getMaxNestingDepth")) {
        return "JSON is nested deeper than " + MAX_NESTING + ", the protocol's limit";
      }
      return "the message is beyond the protocol's limits on JSON";
    }
    return "not valid JSON: " + firstLine(e);
  }

  private static String firstLine(IOException e) {
    String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
    return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
  }

  /** The fields of one JSON object, written between its braces. */
  interface Body {
    void write(JsonGenerator gen) throws IOException;
  }

  /** One JSON object, {@code body} its fields, as UTF-8. */
  static byte[] object(int sizeHint, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
    try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
      gen.setRootValueSeparator(new SerializedString(""));
      gen.writeStartObject();
      body.write(gen);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to memory", e);
    }
    return out.toByteArray();
  }
}
