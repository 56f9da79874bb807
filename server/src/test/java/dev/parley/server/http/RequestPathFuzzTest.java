package dev.parley.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of a request's path on its way to a file (docs/fuzzing.md): any request
 * target is decoded ({@link RequestTarget}, as the router does) or refused, and looked up among the
 * static files without an exception; a file is only ever served from under {@code static/}, by the
 * plain relative name the path spells (no {@code ..}, no encoded slash or NUL, nothing hidden, no
 * directory), and nothing is kept in memory for a name that is not a file.
 */
@Timeout(10)
class RequestPathFuzzTest {
  private static final String ROOT = "static";
  private static final StaticFiles FILES = new StaticFiles(ROOT);
  private static final Set<String> BUNDLED = bundledFiles();

  @FuzzTest
  void anyRequestTargetFindsAFileUnderTheRootOrNone(byte[] input) {
    String uri = new String(input, ISO_8859_1);
    Optional<RequestTarget> target = RequestTarget.of(uri); // as the router decodes it
    if (target.isEmpty()) {
      return; // answered 400
    }
    String path = target.get().path();
    Optional<StaticFiles.File> file = FILES.find(path);
    if (!path.startsWith("/")) {
      assertThat(file).as("a file for a path that is not absolute").isEmpty();
      return;
    }
    String relative = path.equals("/") ? "index.html" : path.substring(1);
    if (file.isEmpty()) {
      assertThat(FILES.kept()).as("names kept in memory").doesNotContain(relative);
      return;
    }
    assertThat(relative)
        .as("the name of a served file")
        .matches("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*")
        .doesNotContain("..");
    assertThat(BUNDLED).as("the bundled files").contains(relative);
    assertThat(file.get().content()).isEqualTo(bundled(relative));
  }

  /** The regular files under the root, by their names relative to it. */
  private static Set<String> bundledFiles() {
    try (Stream<Path> files =
        Files.walk(Path.of(StaticFiles.class.getResource("/" + ROOT).toURI()))) {
      Path root = Path.of(StaticFiles.class.getResource("/" + ROOT).toURI());
      return files
          .filter(Files::isRegularFile)
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bundled(String relative) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("/" + ROOT + "/" + relative)) {
      return Objects.requireNonNull(in, relative).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
