package dev.parley.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The browsers of one test, each "user" a context with a fresh profile, all closed after the test.
 * Every page of these contexts is watched: its console messages and uncaught errors are kept, so
 * that a failing test can show them ({@link ChromiumExtension} attaches them to the failure).
 */
public final class Browsers implements AutoCloseable {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final Chromium chromium;
  private final List<BrowserContext> contexts = new ArrayList<>();
  private final List<Path> profiles = new ArrayList<>();
  private final Map<Page, List<String>> consoles = new LinkedHashMap<>();

  Browsers(Chromium chromium) {
    this.chromium = chromium;
  }

  /** A new user: a context with an empty profile held in memory. */
  public BrowserContext newContext() {
    return watch(chromium.newContext());
  }

  /** A new user whose context has {@code options} (a viewport, ignoring certificate errors...). */
  public BrowserContext newContext(Browser.NewContextOptions options) {
    return watch(chromium.newContext(options));
  }

  /**
   * A new, empty profile directory for {@link #launchPersistentContext(Path)}; deleted after the
   * test.
   */
  public Path newProfile() {
    try {
      Path profile = Files.createTempDirectory("parley-profile-");
      profiles.add(profile);
      return profile;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A browser on the profile in {@code profile}: close it and launch again on the same directory to
   * test what a page keeps across a browser restart.
   */
  public BrowserContext launchPersistentContext(Path profile) {
    return watch(chromium.launchPersistentContext(profile));
  }

  /** Opens {@code url} as a new user. */
  public Page open(String url) {
    return open(newContext(), url);
  }

  /** Opens {@code url} in a new tab of {@code context}. */
  public Page open(BrowserContext context, String url) {
    Page page = context.newPage();
    page.navigate(url);
    return page;
  }

  /** What {@code page} has logged so far: console messages and uncaught errors, in order. */
  public synchronized List<String> console(Page page) {
    return List.copyOf(consoles.getOrDefault(page, List.of()));
  }

  /** Saves what {@code page} shows to {@code target/screenshots/<name>.png}. */
  public Path screenshot(Page page, String name) {
    Path file = SCREENSHOTS.resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    return file;
  }

  /**
   * Everything the pages of this test logged, and a screenshot of each page still open, named after
   * {@code name}: what a failure report needs.
   */
  synchronized String report(String name) {
    StringBuilder report = new StringBuilder();
    int index = 0;
    for (Map.Entry<Page, List<String>> entry : consoles.entrySet()) {
      Page page = entry.getKey();
      index++;
      report.append("page ").append(index);
      if (!page.isClosed()) {
        report.append(" at ").append(page.url());
        try {
          report.append(", screenshot ").append(screenshot(page, name + "-" + index));
        } catch (PlaywrightException e) {
          report.append(", no screenshot: ").append(e.getMessage());
        }
      }
      report.append('\n');
      entry.getValue().forEach(line -> report.append("  ").append(line).append('\n'));
    }
    return report.toString();
  }

  /** Closes every context (ending the processes of persistent ones) and deletes the profiles. */
  @Override
  public void close() {
    try {
      contexts.forEach(BrowserContext::close);
    } finally {
      profiles.forEach(Browsers::deleteRecursively);
    }
  }

  private BrowserContext watch(BrowserContext context) {
    contexts.add(context);
    context.pages().forEach(this::watch);
    context.onPage(this::watch);
    return context;
  }

  private synchronized void watch(Page page) {
    List<String> console = new ArrayList<>();
    consoles.put(page, console);
    page.onConsoleMessage(
        message ->
            log(console, message.type() + ": " + message.text() + " (" + message.location() + ")"));
    page.onPageError(error -> log(console, "uncaught: " + error));
    page.onCrash(crashed -> log(console, "crashed"));
  }

  private synchronized void log(List<String> console, String line) {
    console.add(line);
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the profile " + directory, e);
    }
  }
}
