package dev.parley.client;

import static dev.parley.client.PeerLinkIntegrationTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.link.PeerLink;
import dev.parley.protocol.UserName;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class ShutdownIntegrationTest {
  @TempDir Path data;
  private TestBed bed;

  @BeforeEach
  void start() {
    bed = new TestBed(data);
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void closingAClientHangsUpItsLinksAndStopsItsThreads() {
    TestBed.Peer hub = bed.login("hub");
    for (int round = 0; round < 3; round++) {
      TestBed.Peer spoke = bed.login("spoke" + round);
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.client().online().size() == 1);
      PeerLink link = await(spoke.client().link(new UserName("hub")));
      await(spoke.client().send(new UserName("hub"), "hello from round " + round).delivered());
      Recorder.next(hub.events().linkOpened);

      spoke.client().close();

      Recorder.next(hub.events().linkClosed);
      assertThat(link.isOpen()).isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.client().online().isEmpty());
    }
    assertThat(Recorder.next(hub.events().received).text()).isEqualTo("hello from round 0");
    hub.client().close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("parley-client")));
  }
}
