package dev.parley.bench.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/bench-p2p groups --quick} in a group of three: it runs and reports both figures.
 */
@Timeout(300)
class GroupBenchSmokeTest {
  @TempDir Path work;

  @Test
  void aQuickRunReportsTheMessageAndTheCatchingUp() throws Exception {
    GroupBench bench = new GroupBench();
    bench.quick = true;
    bench.sizes = List.of(3);
    bench.work = work;

    assertThat(bench.call()).isZero();

    assertThat(bench.report())
        .contains("| 3 members, all online | a message until the last of the others has it")
        .contains("| 3 members, one back online, the author away | catching up on 50 missed");
  }
}
