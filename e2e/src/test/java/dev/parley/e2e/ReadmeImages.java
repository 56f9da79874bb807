package dev.parley.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ScreenshotAnimations;
import com.microsoft.playwright.options.ScreenshotScale;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The README's pictures, in the repository's {@code docs/images/}: the viewport of a page, one
 * image pixel per CSS pixel (small files), animations stopped.
 *
 * <p>Headless Chromium does not draw quite the same pixels twice: the anti-aliasing of a rounded
 * corner or an icon differs by a few shades from run to run. An image is therefore rewritten only
 * when the page's picture really changed (a pixel off by more than {@link #NOISE} in a channel), so
 * that running the tests over an unchanged page leaves the repository clean.
 */
final class ReadmeImages {
  /** The largest difference in a colour channel that is taken for anti-aliasing noise. */
  static final int NOISE = 64;

  private ReadmeImages() {}

  /** Saves what {@code page} shows as {@code docs/images/<name>.png}; the file. */
  static Path save(Page page, String name) {
    return save(name, page.screenshot(options()));
  }

  /** As {@link #save(Page, String)}, cut to {@code part} and {@code margin} CSS px around it. */
  static Path save(Page page, String name, Locator part, int margin) {
    BoundingBox box = part.boundingBox();
    return save(
        name,
        page.screenshot(
            options()
                .setClip(
                    Math.max(0, box.x - margin),
                    Math.max(0, box.y - margin),
                    box.width + 2 * margin,
                    box.height + 2 * margin)));
  }

  private static Page.ScreenshotOptions options() {
    return new Page.ScreenshotOptions()
        .setScale(ScreenshotScale.CSS)
        .setAnimations(ScreenshotAnimations.DISABLED);
  }

  private static Path save(String name, byte[] png) {
    Path file = repository().resolve("docs").resolve("images").resolve(name + ".png");
    try {
      if (!Files.exists(file) || changed(Files.readAllBytes(file), png)) {
        Files.createDirectories(file.getParent());
        Files.write(file, png);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether two PNGs differ in size, or in any pixel by more than noise. */
  static boolean changed(byte[] before, byte[] after) throws IOException {
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(before));
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(after));
    if (a == null || a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      return true;
    }
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift < 32; shift += 8) {
          if (Math.abs(((p >>> shift) & 0xff) - ((q >>> shift) & 0xff)) > NOISE) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The repository's root: the tests run in the e2e module's directory, or below the root. */
  private static Path repository() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "not inside the Parley repository: " + Path.of("").toAbsolutePath());
  }
}
