package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelMessageTest {

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
    assertThat(ChannelMessage.decode("{\"type\":\"typing\"}")).isEmpty();
    assertThatThrownBy(() -> ChannelMessage.decode("{\"type\":\"ack\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelMessage.decode("[1]"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
