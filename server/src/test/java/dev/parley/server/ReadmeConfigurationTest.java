package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Configuration table lists the options of {@link ServerOptions}, in their order, with
 * their environment variables and defaults: an option added, renamed or given a new default without
 * its row fails here.
 */
class ReadmeConfigurationTest {
  private static final Path README = Path.of("..", "README.md");
  private static final String HEADER = "| flag | environment variable | default | meaning |";

  private record Row(String flag, String variable, String defaultCell) {}

  private static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int header = lines.indexOf(HEADER);
    assertThat(header).as("README.md has the table of the server's options").isNotNegative();
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(header + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.split("\\|", -1);
      rows.add(new Row(unquoted(cells[1]), unquoted(cells[2]), cells[3].strip()));
    }
    return rows;
  }

  private static String unquoted(String cell) {
    return cell.strip().replace("`", "");
  }

  @Test
  void everyOptionHasItsRowInOrderWithItsVariable() throws IOException {
    assertThat(rows().stream().map(row -> row.flag() + " " + row.variable()).toList())
        .containsExactlyElementsOf(
            ServerOptions.ALL.stream()
                .map(option -> option.flag() + " " + option.environmentVariable())
                .toList());
  }

  @Test
  void everyRowShowsTheOptionsDefault() throws IOException {
    List<Row> rows = rows();
    for (ServerOption<?> option : ServerOptions.ALL) {
      Row row = rows.stream().filter(r -> r.flag().equals(option.flag())).findFirst().orElseThrow();
      option
          .shownDefault()
          .ifPresentOrElse(
              shown -> assertThat(row.defaultCell()).as(option.flag()).isEqualTo("`" + shown + "`"),
              () -> assertThat(row.defaultCell()).as(option.flag()).doesNotStartWith("`"));
    }
  }
}
