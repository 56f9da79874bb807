package dev.parley.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, headless, driven through Playwright: one browser process that tests take
 * fresh, isolated {@linkplain #newContext() contexts} from, and further processes for tests that
 * need a {@linkplain #launchPersistentContext(Path) profile on disk}. Playwright never downloads a
 * browser of its own here, and the flags keep Chromium from calling home, so no packet leaves the
 * machine unless a page asks for it.
 */
public final class Chromium implements AutoCloseable {
  private static final System.Logger log = System.getLogger(Chromium.class.getName());
  private static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  /**
   * No sandbox, since the tests may run as root, where Chromium refuses it; no background services;
   * and real host addresses in ICE candidates instead of mDNS names, so that WebRTC connects with
   * host candidates alone (no STUN) and sends no multicast.
   */
  private static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-features=WebRtcHideLocalIpsWithMdns");

  private final Playwright playwright;
  private final Browser browser;
  private final Path executable;
  private final List<String> args;

  private Chromium(Playwright playwright, Browser browser, Path executable, List<String> args) {
    this.playwright = playwright;
    this.browser = browser;
    this.executable = executable;
    this.args = args;
  }

  /** Starts Playwright's driver and one headless Chromium. */
  public static Chromium launch() {
    return launch(EXECUTABLE, List.of());
  }

  /**
   * Starts Playwright's driver and one headless Chromium through {@code executable} (Debian's
   * Chromium, or a script that execs it, say inside a network namespace) with {@code extraArgs}.
   */
  public static Chromium launch(Path executable, List<String> extraArgs) {
    if (!Files.isExecutable(EXECUTABLE)) {
      throw new IllegalStateException(
          "The end-to-end tests drive Debian's Chromium at "
              + EXECUTABLE
              + ", which is missing: install Debian's package chromium"
              + " (apt-get install --no-install-recommends chromium; scripts/test does this)");
    }
    long start = System.nanoTime();
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(args(extraArgs)));
      log.log(
          System.Logger.Level.INFO,
          "Chromium {0} started in {1} ms",
          browser.version(),
          (System.nanoTime() - start) / 1_000_000);
      return new Chromium(playwright, browser, executable, args(extraArgs));
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  /** The browser's version, such as {@code 156.0.8078.79}. */
  public String version() {
    return browser.version();
  }

  /** A fresh context: an empty profile in memory that shares nothing with any other context. */
  public BrowserContext newContext() {
    return browser.newContext();
  }

  /** A fresh context with options, such as a phone-sized viewport. */
  public BrowserContext newContext(Browser.NewContextOptions options) {
    return browser.newContext(options);
  }

  /**
   * A Chromium process of its own on the profile in {@code profile} ({@code --user-data-dir}).
   * Closing the context ends that process; what its pages stored stays on disk, so launching again
   * on the same directory is a browser restart.
   */
  public BrowserContext launchPersistentContext(Path profile) {
    return playwright
        .chromium()
        .launchPersistentContext(
            profile,
            new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(executable)
                .setHeadless(true)
                .setArgs(args));
  }

  private static List<String> args(List<String> extra) {
    return java.util.stream.Stream.concat(ARGS.stream(), extra.stream()).toList();
  }

  /** Ends every Chromium process this instance started, and Playwright's driver. */
  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
