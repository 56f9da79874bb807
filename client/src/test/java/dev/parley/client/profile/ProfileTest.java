package dev.parley.client.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.group.GroupId;
import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
  private static final UserName BOB = new UserName("bob");

  @TempDir Path dir;

  @Test
  void keepsTheIdentityPinsAndHistoryAcrossOpenings() throws Exception {
    IdentityKey mine;
    IdentityKey bobs = Identity.generate().publicKey();
    try (Profile profile = Profile.open(dir)) {
      mine = profile.identity().publicKey();
      assertThat(profile.pins().trust(BOB, bobs)).isEqualTo(bobs);
      profile.store().add(entry("m1", true, Delivery.QUEUED));
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("identity.key"))))
        .isEqualTo("rw-------");

    try (Profile again = Profile.open(dir)) {
      assertThat(again.identity().publicKey()).isEqualTo(mine);
      assertThat(again.pins().pinned(new UserName("BOB"))).contains(bobs);
      assertThat(again.store().outbox(BOB)).extracting(Entry::id).containsExactly("m1");
      assertThat(again.store().outboxPeers()).containsExactly(BOB);
    }
  }

  @Test
  void aVerifiedMarkIsKeptAcrossOpenings() {
    IdentityKey bobs = Identity.generate().publicKey();
    try (Profile profile = Profile.open(dir)) {
      profile.pins().trust(BOB, bobs);
      assertThat(profile.pins().markVerified(BOB, bobs)).isTrue();
    }

    try (Profile again = Profile.open(dir)) {
      assertThat(again.pins().isVerified(BOB)).isTrue();
    }
  }

  /** The database as the first Parley wrote it (schema 1), before pins could be verified. */
  @Test
  void aProfileWrittenBeforeVerifiedMarksOpensWithItsPinsHistoryAndOutbox() throws Exception {
    IdentityKey bobs = Identity.generate().publicKey();
    Files.createDirectories(dir);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
        Statement s = db.createStatement()) {
      s.execute(
          "CREATE TABLE pins (name TEXT PRIMARY KEY, spelling TEXT NOT NULL,"
              + " key TEXT NOT NULL, pinned_at INTEGER NOT NULL)");
      s.execute(
          "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " peer TEXT NOT NULL, spelling TEXT NOT NULL, id TEXT NOT NULL,"
              + " outgoing INTEGER NOT NULL, ts INTEGER NOT NULL, text TEXT NOT NULL,"
              + " file_size INTEGER, file_sha256 TEXT, file_mime TEXT, file_path TEXT,"
              + " state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',"
              + " UNIQUE (peer, id, outgoing))");
      s.execute("CREATE INDEX entries_pending ON entries (state) WHERE state IN (0, 1)");
      s.execute("PRAGMA user_version=1");
      s.execute("INSERT INTO pins VALUES ('bob', 'Bob', '" + bobs.encoded() + "', 1700000000000)");
      s.execute(
          "INSERT INTO entries (peer, spelling, id, outgoing, ts, text, state)"
              + " VALUES ('bob', 'Bob', 'm1', 1, 1700000000000, 'still waiting', 0)");
      s.execute(
          "INSERT INTO entries (peer, spelling, id, outgoing, ts, text, state)"
              + " VALUES ('bob', 'Bob', 'm2', 0, 1700000000001, 'read long ago', 4)");
    }

    try (Profile profile = Profile.open(dir)) {
      assertThat(profile.pins().pinned(BOB)).contains(bobs);
      assertThat(profile.pins().isVerified(BOB)).isFalse();
      assertThat(profile.store().outbox(BOB))
          .extracting(Entry::text)
          .containsExactly("still waiting");
      assertThat(profile.pins().markVerified(BOB, bobs)).isTrue();
      // Received before Parley remembered what it showed: counted as shown, not shown again.
      assertThat(profile.store().history(BOB, 10))
          .extracting(Entry::text)
          .containsExactly("still waiting", "read long ago");
      assertThat(profile.store().unshown()).isEmpty();
      // Received before Parley remembered what it showed: counted as shown, not shown again.
      assertThat(profile.store().history(BOB, 10))
          .extracting(Entry::text)
          .containsExactly("still waiting", "read long ago");
      assertThat(profile.store().unshown()).isEmpty();
    }

    try (Profile again = Profile.open(dir);
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
        Statement s = db.createStatement();
        ResultSet version = s.executeQuery("PRAGMA user_version")) {
      assertThat(again.pins().isVerified(BOB)).isTrue();
      assertThat(version.getInt(1)).isEqualTo(Store.SCHEMA).isEqualTo(5);
      assertThat(new GroupStore(again.store()).groups()).isEmpty();
      assertThat(new GroupStore(again.store()).files(GroupId.random())).isEmpty();
    }
  }

  @Test
  void aProfileFromANewerParleyIsRefusedAndLeftAsItIs() throws Exception {
    Files.createDirectories(dir);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
        Statement s = db.createStatement()) {
      s.execute("PRAGMA user_version=" + (Store.SCHEMA + 1));
    }

    assertThatThrownBy(() -> Profile.open(dir))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("written by a newer Parley");
  }

  @Test
  void aReceivedEntryIsUnshownUntilMarkedShownAndOursNeedNoShowing() {
    try (Profile profile = Profile.open(dir)) {
      Entry theirs = profile.store().add(entry("m1", false, Delivery.RECEIVED)).orElseThrow();
      profile.store().add(entry("m2", true, Delivery.QUEUED));

      assertThat(profile.store().unshown()).containsExactly(theirs);
      profile.store().markShown(theirs);
      assertThat(profile.store().unshown()).isEmpty();
    }
  }

  @Test
  void aDuplicateEntryIsNotStoredTwice() {
    try (Profile profile = Profile.open(dir)) {
      assertThat(profile.store().add(entry("m1", false, Delivery.RECEIVED))).isPresent();
      assertThat(profile.store().add(entry("m1", false, Delivery.RECEIVED))).isEmpty();
      // Our own message may share an id with one of theirs: a different entry.
      assertThat(profile.store().add(entry("m1", true, Delivery.QUEUED))).isPresent();
      assertThat(profile.store().history(BOB, 10)).hasSize(2);
    }
  }

  @Test
  void deliveredEntriesLeaveTheOutbox() {
    try (Profile profile = Profile.open(dir)) {
      profile.store().add(entry("m1", true, Delivery.QUEUED));
      profile.store().add(entry("m2", true, Delivery.QUEUED));

      assertThat(profile.store().setState(BOB, "m1", Delivery.DELIVERED, "")).isPresent();

      assertThat(profile.store().outbox(BOB)).extracting(Entry::id).containsExactly("m2");
      assertThat(profile.store().history(BOB, 1)).extracting(Entry::id).containsExactly("m2");
    }
  }

  @Test
  void anEntryIsStoredAndSettledWithOneWriteEach() {
    try (Profile profile = Profile.open(dir)) {
      Store store = profile.store();
      long before = store.changes();

      Entry stored = store.add(entry("m1", true, Delivery.QUEUED)).orElseThrow();
      assertThat(store.changes() - before).isEqualTo(1);
      assertThat(store.find(BOB, "m1", true)).contains(stored);
      assertThat(store.settle(BOB, "m1", Delivery.DELIVERED, "")).isTrue();
      assertThat(store.changes() - before).isEqualTo(2);

      assertThat(store.settle(BOB, "m1", Delivery.FAILED, "too late")).isFalse();
      assertThat(store.find(BOB, "m1", true).orElseThrow().state()).isEqualTo(Delivery.DELIVERED);
      assertThat(store.outbox()).isEmpty();
    }
  }

  @Test
  void aDamagedIdentityIsReportedNotReplaced() throws Exception {
    Profile.open(dir).close();
    Files.writeString(dir.resolve("identity.key"), "public=nonsense\n");

    assertThatThrownBy(() -> Profile.open(dir))
        .isInstanceOf(ProfileException.class)
        .hasMessageContaining("not a readable Parley identity key");
    assertThat(Files.readString(dir.resolve("identity.key"))).isEqualTo("public=nonsense\n");
  }

  @Test
  void theDefaultDirectoryIsOnePerServerAndName() {
    Path a = Profile.defaultDir(URI.create("ws://localhost:8080/ws"), new UserName("Alice"));
    Path b = Profile.defaultDir(URI.create("ws://localhost:9090/ws"), new UserName("alice"));

    assertThat(a.toString())
        .endsWith("localhost-8080/alice".replace('/', java.io.File.separatorChar));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void profilesLiveUnderTheHomeTheEnvironmentNamesNotTheJvms(@TempDir Path root)
      throws IOException {
    Path home = root.resolve("home");

    assertThat(Profile.home(Map.of("HOME", home.toString()), "/elsewhere"))
        .isEqualTo(home.resolve(".parley"));
    assertThat(Profile.home(Map.of(), home.toString())).isEqualTo(home.resolve(".parley"));
    assertThat(
            Profile.home(
                Map.of("HOME", home.toString(), "XDG_DATA_HOME", root.resolve("data").toString()),
                "/elsewhere"))
        .isEqualTo(root.resolve("data").resolve("parley"));
    assertThat(Profile.home(Map.of("HOME", home.toString(), "XDG_DATA_HOME", "relative"), "/x"))
        .as("the XDG spec ignores a relative path")
        .isEqualTo(home.resolve(".parley"));
  }

  @Test
  void profilesMadeBeforeUnderHomeStayThereWhenXdgHasNone(@TempDir Path root) throws IOException {
    Path home = root.resolve("home");
    Files.createDirectories(home.resolve(".parley").resolve("profiles"));
    Map<String, String> env =
        Map.of("HOME", home.toString(), "XDG_DATA_HOME", root.resolve("data").toString());

    assertThat(Profile.home(env, "/x")).isEqualTo(home.resolve(".parley"));
    Files.createDirectories(root.resolve("data").resolve("parley"));
    assertThat(Profile.home(env, "/x")).isEqualTo(root.resolve("data").resolve("parley"));
  }

  private static Entry entry(String id, boolean outgoing, Delivery state) {
    return new Entry(0, BOB, id, outgoing, 1, "text " + id, null, state, "");
  }
}
