package dev.parley.client.group;

import java.util.UUID;
import java.util.regex.Pattern;

/** A group's id: a random UUID chosen by its creator, in lower case. */
public record GroupId(String value) {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public GroupId {
    if (!UUID_TEXT.matcher(value).matches()) {
      throw new IllegalArgumentException("a group id is a UUID in lower case");
    }
  }

  public static GroupId random() {
    return new GroupId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
