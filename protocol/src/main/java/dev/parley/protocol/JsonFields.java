package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads required fields out of a decoded JSON object, naming the field in every error; {@code ref}
 * is the object's {@code ref}, if it has a usable one, and {@code dataText} the UTF-8 source text
 * of its {@code data} object, if it was kept as text.
 */
@SuppressWarnings("ArrayRecordComponent") // a byte range handed on, never compared
record JsonFields(JsonNode node, @Nullable String ref, byte @Nullable [] dataText) {

  JsonNode field(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw invalid("missing field '" + name + "'");
    }
    return value;
  }

  String string(String name) {
    JsonNode value = field(name);
    if (!value.isTextual()) {
      throw invalid("field '" + name + "' must be a string");
    }
    return value.textValue();
  }

  int integer(String name) {
    JsonNode value = field(name);
    if (!value.isInt()) {
      throw invalid("field '" + name + "' must be an integer");
    }
    return value.intValue();
  }

  JsonNode object(String name) {
    JsonNode value = field(name);
    if (!value.isObject()) {
      throw invalid("field '" + name + "' must be an object");
    }
    return value;
  }

  <T> List<T> array(String name, Function<JsonNode, T> element) {
    JsonNode value = field(name);
    if (!value.isArray()) {
      throw invalid("field '" + name + "' must be an array");
    }
    List<T> result = new ArrayList<>(value.size());
    value.forEach(item -> result.add(element.apply(item)));
    return result;
  }

  /** A string field made into a value type, which validates itself (and names its own error). */
  <T> T parse(String name, Function<String, T> constructor) {
    return constructor.apply(string(name));
  }

  /** As {@link #parse}, for a field that may be left out (or be null): then null. */
  <T> @Nullable T parseOptional(String name, Function<String, T> constructor) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : parse(name, constructor);
  }

  static ProtocolException invalid(String message) {
    return new ProtocolException(ErrorCode.INVALID_FIELD, message);
  }
}
