package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.group.GroupId;
import dev.parley.client.group.LogEntry;
import dev.parley.client.group.MemberKey;
import dev.parley.client.group.Op;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelMessageTest {
  private static final GroupId GROUP = new GroupId("6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34");

  @Test
  void messagesAreJsonObjectsWithAType() {
    var chat = new ChannelMessage.Chat("id-1", 1700000000000L, "hi \"there\"");

    assertThat(chat.encode())
        .isEqualTo(
            "{\"type\":\"message\",\"id\":\"id-1\",\"ts\":1700000000000,\"text\":\"hi \\\"there\\\"\"}");
    assertThat(new ChannelMessage.Ack("id-1").encode())
        .isEqualTo("{\"type\":\"ack\",\"id\":\"id-1\"}");
    assertThat(ChannelMessage.decode(chat.encode())).contains(chat);
  }

  @Test
  void unknownTypesAreSkippedAndMalformedMessagesRefused() {
    assertThat(ChannelMessage.decode("{\"type\":\"reaction\",\"id\":\"x\"}")).isEmpty();
    assertThatThrownBy(() -> ChannelMessage.decode("{\"type\":\"typing\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ChannelMessage.decode(
                    "{\"type\":\"message\",\"id\":\"a\",\"ts\":\"1\",\"text\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelMessage.decode("{\"type\":\"ack\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelMessage.decode("[1]"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHelloNamesWhatThePeerReads() {
    var hello = new ChannelMessage.Hello(Set.of(ChannelMessage.BATCH, "later"));

    assertThat(hello.encode()).isEqualTo("{\"type\":\"hello\",\"features\":[\"batch\",\"later\"]}");
    assertThat(ChannelMessage.decode(hello.encode())).contains(hello);
    assertThatThrownBy(() -> ChannelMessage.decode("{\"type\":\"hello\",\"features\":\"batch\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("array 'features'");
    assertThatThrownBy(() -> ChannelMessage.decode("{\"type\":\"hello\",\"features\":[1]}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelMessage.decode("{\"type\":\"hello\",\"features\":[\"\"]}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBatchIsReadInOrderAndItsMalformedMessagesAreSkippedAlone() {
    var first = new ChannelMessage.Chat("a", 1, "one");
    var second = new ChannelMessage.Ack("b");
    String batch =
        batch(
            List.of(
                first.encode(),
                "{\"type\":\"ack\"}",
                "{\"type\":\"reaction\"}",
                "[]",
                second.encode()));
    List<String> malformed = new ArrayList<>();

    assertThat(ChannelMessage.decodeAll(batch, malformed::add)).containsExactly(first, second);
    assertThat(malformed)
        .containsExactly("the message has no string field 'id'", "a batch holds JSON objects");
    assertThat(ChannelMessage.decodeAll(first.encode(), malformed::add)).containsExactly(first);
    assertThat(ChannelMessage.decodeAll("[]", malformed::add)).isEmpty();
  }

  @Test
  void aBatchHoldsAtMost1024MessagesAndIsAnArray() {
    String typing = new ChannelMessage.Typing(true).encode();
    List<String> malformed = new ArrayList<>();

    assertThat(
            ChannelMessage.decodeAll(
                batch(Collections.nCopies(ChannelMessage.MAX_BATCH, typing)), malformed::add))
        .hasSize(ChannelMessage.MAX_BATCH);
    assertThatThrownBy(
            () ->
                ChannelMessage.decodeAll(
                    batch(Collections.nCopies(ChannelMessage.MAX_BATCH + 1, typing)),
                    malformed::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a batch holds at most 1024 messages; this one 1025");
    assertThatThrownBy(() -> ChannelMessage.decodeAll("\"text\"", malformed::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a JSON object or array");
    assertThat(malformed).isEmpty();
  }

  /** Several encoded messages as one batch, as a peer writes it: a JSON array of them, in order. */
  private static String batch(List<String> encoded) {
    return "[" + String.join(",", encoded) + "]";
  }

  @Test
  void everyTypeRoundTrips() {
    String id = "9b2e7c10-5a44-4f0e-8d7f-0c3e2a1b4d59";
    for (ChannelMessage message :
        new ChannelMessage[] {
          new ChannelMessage.FileOffer(
              id, 5, "notes.pdf", 183211, "a".repeat(64), "application/pdf"),
          new ChannelMessage.Nack(id, ChannelMessage.Nack.TOO_LARGE, "files up to 1 GiB"),
          new ChannelMessage.Typing(true),
          new ChannelMessage.Typing(false),
          new ChannelMessage.GroupTyping(GROUP, true),
          new ChannelMessage.GroupFileGet(GROUP, "b".repeat(64)),
          new ChannelMessage.GroupFile(GROUP, "b".repeat(64), id),
          new ChannelMessage.GroupFileMissing(GROUP, "b".repeat(64))
        }) {
      assertThat(ChannelMessage.decode(message.encode())).contains(message);
    }
    assertThat(new ChannelMessage.Typing(true).encode())
        .isEqualTo("{\"type\":\"typing\",\"active\":true}");
  }

  @Test
  void groupSyncsAreReadAsWrittenAndMalformedOnesRefused() {
    var sync =
        new ChannelMessage.GroupSync(
            new GroupId("6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34"), Map.of("alice", 2L, "bob", 1L));

    assertThat(sync.encode())
        .isEqualTo(
            "{\"type\":\"group-sync\",\"group\":\"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34\","
                + "\"have\":{\"alice\":2,\"bob\":1}}");
    assertThat(ChannelMessage.decode(sync.encode())).contains(sync);
    for (String bad :
        List.of(
            "{\"type\":\"group-sync\",\"group\":\"not-a-uuid\",\"have\":{}}",
            "{\"type\":\"group-sync\",\"group\":\"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34\",\"have\":{\"Alice\":1}}",
            "{\"type\":\"group-sync\",\"group\":\"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34\",\"have\":{\"alice\":-1}}",
            "{\"type\":\"group-sync\",\"group\":\"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34\",\"have\":[]}",
            "{\"type\":\"group-entry\",\"entry\":{\"v\":1}}",
            "{\"type\":\"group-entry\"}")) {
      assertThatThrownBy(() -> ChannelMessage.decode(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aGroupEntryRoundTripsWithItsSignature() {
    Identity alice = Identity.generate();
    UserName name = new UserName("alice");
    LogEntry create =
        LogEntry.sign(
            alice,
            GroupId.random(),
            name,
            1,
            1795525200000L,
            List.of(),
            new Op.Create("Climbing", List.of(new MemberKey(name, alice.publicKey()))));
    var message = new ChannelMessage.GroupEntry(create);

    ChannelMessage read = ChannelMessage.decode(message.encode()).orElseThrow();

    assertThat(read).isEqualTo(message);
    assertThat(((ChannelMessage.GroupEntry) read).entry().verifies(alice.publicKey())).isTrue();
  }

  @Test
  void groupFileMessagesNameAnEntryByItsHash() {
    String group = "\"group\":\"" + GROUP.value() + "\"";
    for (String bad :
        new String[] {
          "{\"type\":\"group-file-get\"," + group + ",\"entry\":\"abc\"}",
          "{\"type\":\"group-file-get\",\"group\":\"x\",\"entry\":\"" + "b".repeat(64) + "\"}",
          "{\"type\":\"group-file\"," + group + ",\"entry\":\"" + "b".repeat(64) + "\"}",
          "{\"type\":\"group-file-missing\"," + group + "}",
          "{\"type\":\"group-typing\"," + group + ",\"active\":\"yes\"}"
        }) {
      assertThatThrownBy(() -> ChannelMessage.decode(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void halfASurrogatePairIsReadAsAReplacementCharacterSoThatTheMessageRoundTrips() {
    String json =
        "{\"type\":\"message\",\"id\":\"1\",\"ts\":0,\"text\":\"a\\ude00\\ud83d\\ude00b\\ud800\"}";
    ChannelMessage read = ChannelMessage.decode(json).orElseThrow();
    assertThat(((ChannelMessage.Chat) read).text()).isEqualTo("a\uFFFD\uD83D\uDE00b\uFFFD");
    assertThat(ChannelMessage.decode(read.encode())).contains(read);
  }

  @Test
  void aFileOfferWithAPathOrABadHashIsRefused() {
    String id = "9b2e7c10-5a44-4f0e-8d7f-0c3e2a1b4d59";
    for (String name : new String[] {"../etc/passwd", "a/b", "..", "", "a\\b", "bell\u0007"}) {
      assertThatThrownBy(() -> new ChannelMessage.FileOffer(id, 1, name, 1, "a".repeat(64), ""))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new ChannelMessage.FileOffer(id, 1, "x", 1, "A".repeat(64), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChannelMessage.FileOffer(id, 1, "x", -1, "a".repeat(64), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fileChunksCarryTheFileIdAndTheirBytes() {
    java.util.UUID id = java.util.UUID.randomUUID();
    byte[] data = {1, 2, 3, 4, 5};

    FileChunk chunk = FileChunk.decode(FileChunk.encode(id, data, 1, 3));

    assertThat(chunk.file()).isEqualTo(id);
    byte[] read = new byte[chunk.data().remaining()];
    chunk.data().get(read);
    assertThat(read).containsExactly(2, 3, 4);
    assertThatThrownBy(() -> FileChunk.decode(java.nio.ByteBuffer.allocate(15)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FileChunk.decode(java.nio.ByteBuffer.allocate(16 + 65537)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
