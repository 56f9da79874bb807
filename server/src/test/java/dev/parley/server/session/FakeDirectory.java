package dev.parley.server.session;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.DirectoryException;
import dev.parley.server.directory.Invite;
import dev.parley.server.directory.InviteInvalidException;
import dev.parley.server.directory.NameTakenException;
import dev.parley.server.directory.StorageFullException;
import dev.parley.server.directory.User;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A directory in memory, which can be made to fail as a database that went away does. */
final class FakeDirectory implements Directory {
  static final String SERVER_ID = "test-server";

  private final Map<UserName, User> users = new ConcurrentHashMap<>();
  private final Map<String, Invite> invites = new HashMap<>(); // unused ones only
  private volatile boolean down;
  private volatile boolean full;

  /** From now on every call fails. */
  void goDown() {
    down = true;
  }

  /** From now on there is no room for a new name, nor for a last-seen time. */
  void fillUp() {
    full = true;
  }

  void makeRoom() {
    full = false;
  }

  @Override
  public synchronized Claim claim(
      UserName name, IdentityKey key, Instant now, Admission admission) {
    failIfDown();
    User existing = users.get(name);
    if (existing == null) {
      admission.admit(name).ifPresent(codeHash -> useInvite(codeHash, now));
      if (full) {
        admission.notUsed(name);
        throw new StorageFullException();
      }
      User user = new User(name, key, now, now);
      users.put(name, user);
      return new Claim(user, true);
    }
    if (!existing.publicKey().equals(key)) {
      throw new NameTakenException(name);
    }
    if (full) {
      return new Claim(existing, false);
    }
    User user = new User(existing.name(), key, existing.created(), now);
    users.put(name, user);
    return new Claim(user, false);
  }

  private void useInvite(String codeHash, Instant now) {
    Invite invite = invites.get(codeHash);
    if (invite == null || !invite.expires().isAfter(now)) {
      throw new InviteInvalidException();
    }
    invites.remove(codeHash);
  }

  @Override
  public synchronized void addInvites(List<Invite> made) {
    made.forEach(invite -> invites.put(invite.codeHash(), invite));
  }

  @Override
  public synchronized List<Invite> openInvites(Instant now) {
    return invites.values().stream()
        .filter(invite -> invite.expires().isAfter(now))
        .sorted(Comparator.comparing(Invite::expires))
        .toList();
  }

  @Override
  public Optional<User> find(UserName name) {
    failIfDown();
    return Optional.ofNullable(users.get(name));
  }

  @Override
  public void touch(UserName name, Instant when) {
    failIfDown();
    if (full) {
      return;
    }
    users.computeIfPresent(name, (n, u) -> new User(u.name(), u.publicKey(), u.created(), when));
  }

  @Override
  public boolean full() {
    return full;
  }

  @Override
  public long count() {
    return users.size();
  }

  @Override
  public String serverId() {
    return SERVER_ID;
  }

  @Override
  public void close() {}

  private void failIfDown() {
    if (down) {
      throw new DirectoryException("the database is gone", new SQLException("connection refused"));
    }
  }
}
