package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the server logs at start holds: in this JVM the soft limit on open files has been raised to
 * the hard limit, whatever the shell that started it had set, and that is the limit reported.
 */
class OpenFilesTest {

  @Test
  void theJvmRunsAtTheHardLimitAndReportsIt() throws IOException {
    String line =
        Files.readAllLines(Path.of("/proc/self/limits")).stream()
            .filter(l -> l.startsWith("Max open files"))
            .findFirst()
            .orElseThrow();
    String[] fields = line.substring("Max open files".length()).strip().split("\\s+", -1);
    long soft = Long.parseLong(fields[0]);
    long hard = Long.parseLong(fields[1]);

    assertThat(soft).isEqualTo(hard);
    assertThat(OpenFiles.limit()).hasValue(soft);
  }
}
