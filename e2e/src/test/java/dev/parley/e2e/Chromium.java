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

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Starts Playwright's driver and one headless Chromium. */
  public static Chromium launch() {
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
                      .setExecutablePath(EXECUTABLE)
                      .setHeadless(true)
                      .setArgs(ARGS));
      log.log(
          System.Logger.Level.INFO,
          "Chromium {0} started in {1} ms",
          browser.version(),
          (System.nanoTime() - start) / 1_000_000);
      return new Chromium(playwright, browser);
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
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(ARGS));
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
