package dev.parley.client.group;

import static dev.parley.client.group.Founders.ALICE;
import static dev.parley.client.group.Founders.BOB;
import static dev.parley.client.group.Founders.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries as JSON and their signed payload (docs/p2p.md, "The entry", "The signed payload"). */
class EntryJsonTest {
  private final Founders f = new Founders();

  @Test
  void everyOpReadsBackAsItWasWrittenAndStillVerifies() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    List<LogEntry> entries =
        List.of(
            create,
            f.entry(ALICE, 2, new Op.Add(f.key(CAROL)), create),
            f.entry(ALICE, 2, new Op.Remove(BOB), create),
            f.entry(ALICE, 2, new Op.MakeAdmin(BOB), create),
            f.entry(BOB, 1, new Op.Leave(), create),
            f.text(BOB, 1, "héllo 👋", create),
            f.entry(BOB, 1, Op.File.of("plan.pdf", "application/pdf", 5, "a".repeat(64)), create),
            f.entry(BOB, 1, Op.File.of("empty", "", 0, Op.File.EMPTY), create));

    for (LogEntry entry : entries) {
      LogEntry read = EntryJson.decode(Json.parse(EntryJson.encode(entry).toString()));
      assertThat(read).isEqualTo(entry);
      assertThat(read.hash()).isEqualTo(entry.hash());
      assertThat(read.verifies(f.keys.get(entry.author()).publicKey())).isTrue();
    }
  }

  @Test
  void aStubHasNoTextAndStillVerifies() {
    LogEntry message = f.text(BOB, 1, "secret", f.create(ALICE, ALICE, BOB));

    String json = EntryJson.encode(message.stub()).toString();

    assertThat(json).doesNotContain("secret").doesNotContain("\"text\"");
    LogEntry stub = EntryJson.decode(Json.parse(json));
    assertThat(stub.isStub()).isTrue();
    assertThat(stub.hash()).isEqualTo(message.hash());
    assertThat(stub.verifies(f.keys.get(BOB).publicKey())).isTrue();
  }

  @Test
  void thePayloadIsTheLinesTheSpecNames() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry message = f.text(BOB, 1, "hello", create);

    String payload = new String(message.payload(), StandardCharsets.UTF_8);

    assertThat(payload)
        .isEqualTo(
            "parley-group-v1\n"
                + f.group
                + "\nbob\n1\n"
                + message.ts()
                + "\nmessage\n"
                + create.hash()
                + "\n2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n");
  }

  @Test
  void anEntryOfAnotherVersionOrOutsideTheLimitsIsMalformed() {
    String json = EntryJson.encode(f.create(ALICE, ALICE, BOB)).toString();

    assertThatThrownBy(() -> EntryJson.decode(Json.parse(json.replace("\"v\":1", "\"v\":2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(
            () ->
                EntryJson.decode(
                    Json.parse(json.replace("\"title\":\"Climbing\"", "\"title\":\"\""))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntryJson.decode(Json.parse(json.replace("\"alice\"", "\"al ice\""))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntryJson.decode(Json.parse("[]")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileStubHasNoNameAndStillVerifiesButAChangedNameIsForged() {
    LogEntry create = f.create(ALICE, ALICE, BOB);
    LogEntry file =
        f.entry(
            BOB, 1, Op.File.of("secret plan.pdf", "application/pdf", 5, "b".repeat(64)), create);
    IdentityKey bob = f.keys.get(BOB).publicKey();

    String stub = EntryJson.encode(file.stub()).toString();
    String renamed = EntryJson.encode(file).toString().replace("secret plan.pdf", "harmless.pdf");

    assertThat(stub).doesNotContain("secret").doesNotContain("\"name\"").doesNotContain("mime");
    assertThat(EntryJson.decode(Json.parse(stub)).verifies(bob)).isTrue();
    assertThat(EntryJson.decode(Json.parse(renamed)).verifies(bob)).isFalse();
    assertThat(file.verifies(bob)).isTrue();
  }

  @Test
  void anEmptyFileNamesTheHashOfNoBytesOrItIsForged() {
    LogEntry create = f.create(ALICE, ALICE, BOB);

    LogEntry lying = f.entry(BOB, 1, Op.File.of("empty", "", 0, "c".repeat(64)), create);

    assertThat(lying.verifies(f.keys.get(BOB).publicKey())).isFalse();
  }

  @Test
  void aFileOutsideTheLimitsIsMalformed() {
    String json =
        EntryJson.encode(
                f.entry(
                    BOB,
                    1,
                    Op.File.of("a.txt", "text/plain", 5, "d".repeat(64)),
                    f.create(ALICE, ALICE, BOB)))
            .toString();

    for (String bad :
        List.of(
            json.replace("\"size\":5", "\"size\":1073741825"),
            json.replace("\"size\":5", "\"size\":-1"),
            json.replace("\"a.txt\"", "\"../a.txt\""),
            json.replace("\"a.txt\"", "\"\""),
            json.replace("\"mime\":\"text/plain\",", ""),
            json.replace("\"sha256\":\"" + "d".repeat(64), "\"sha256\":\"" + "D".repeat(64)))) {
      assertThatThrownBy(() -> EntryJson.decode(Json.parse(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
