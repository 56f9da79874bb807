package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.cluster.ClusterSettings;
import org.junit.jupiter.api.Test;

/** {@code --redis} and {@code --node-id}: one node alone unless Redis is named, and sane ids. */
class ClusterOptionsTest {
  private static ServerConfigBuilder with(String... flagsAndValues) {
    ServerConfigBuilder settings = ServerConfig.builder();
    for (int i = 0; i < flagsAndValues.length; i += 2) {
      String flag = flagsAndValues[i];
      ServerOption<?> option =
          ServerOptions.ALL.stream().filter(o -> o.flag().equals(flag)).findFirst().orElseThrow();
      option.apply(settings, flagsAndValues[i + 1]);
    }
    return settings;
  }

  @Test
  void oneNodeAloneIsTheDefault() {
    assertThat(ServerConfig.defaults().cluster()).isEmpty();
  }

  @Test
  void redisAndASharedDirectoryMakeANodeOfSeveral() {
    ServerConfig config =
        with("--redis", "redis://10.0.0.5:6379", "--db-url", "jdbc:postgresql://db/parley").build();

    ClusterSettings cluster = config.cluster().orElseThrow();
    assertThat(cluster.redis()).isEqualTo("redis://10.0.0.5:6379");
    assertThat(cluster.node()).matches("[a-z0-9._-]+-[0-9a-f]{6}");
    assertThat(config.toBuilder().build().cluster()).contains(cluster); // kept, id and all
  }

  @Test
  void twoNodesStartedWithoutAnIdGetDifferentOnes() {
    assertThat(ClusterSettings.uniqueNodeId()).isNotEqualTo(ClusterSettings.uniqueNodeId());
  }

  @Test
  void redisWithoutASharedDirectoryIsRefused() {
    assertThatThrownBy(() -> with("--redis", "redis://127.0.0.1:6379").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--redis needs --db-url");
  }

  @Test
  void aNodeIdWithoutRedisIsRefused() {
    assertThatThrownBy(() -> with("--node-id", "n1").build())
        .hasMessageContaining("--node-id is for one node of several");
  }

  @Test
  void badUrisAndIdsAreRefusedSayingWhatIsExpected() {
    String db = "jdbc:postgresql://db/parley";
    assertThatThrownBy(() -> with("--redis", "10.0.0.5:6379", "--db-url", db).build())
        .hasMessageContaining("redis:// or rediss://");
    assertThatThrownBy(
            () -> with("--redis", "redis://h:1", "--db-url", db, "--node-id", "node one").build())
        .hasMessageContaining("--node-id is 1-64 characters");
  }

  @Test
  void aPasswordInTheUriIsNotShownInLogs() {
    assertThat(ClusterSettings.of("redis://:s3cret@10.0.0.5:6379", "n1").redisShown())
        .isEqualTo("redis://10.0.0.5:6379");
    assertThat(ClusterSettings.of("rediss://user:pw@h:6380/0", "n1").redisShown())
        .isEqualTo("rediss://h:6380/0");
  }
}
