package dev.parley.client.group;

import dev.parley.protocol.UserName;
import java.util.List;

/**
 * A group as the user sees it: its title, its members now (admins first, then by name) with their
 * presence, and whether we are still one of them.
 */
public record Group(
    GroupId id, String title, UserName creator, List<Member> members, boolean joined) {
  /** A member, whether it is an admin, and whether the server says it is online. */
  public record Member(UserName name, boolean admin, boolean online) {}

  public Group {
    members = List.copyOf(members);
  }
}
