package dev.parley.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives tests Debian's Chromium: one {@link Chromium} per JVM, launched when the first class that
 * uses it starts and closed after all tests, and fresh {@link Browsers} for each test method (or
 * its {@code @BeforeEach} methods), closed after it. When a test fails, what its pages logged and a
 * screenshot of each are attached to the failure, as a suppressed exception.
 */
public final class ChromiumExtension
    implements BeforeAllCallback, ParameterResolver, TestExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ChromiumExtension.class);

  /** Launches the browser before the class, so that a failure to launch fails the class at once. */
  @Override
  public void beforeAll(ExtensionContext context) {
    chromium(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Chromium.class
        || (type == Browsers.class && context.getTestMethod().isPresent());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Chromium.class
        ? chromium(context)
        : browsers(context);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    Browsers browsers = context.getStore(NAMESPACE).get(Browsers.class, Browsers.class);
    if (browsers != null) {
      String name =
          context.getRequiredTestClass().getSimpleName()
              + "-"
              + context.getRequiredTestMethod().getName();
      failure.addSuppressed(new BrowserConsole(browsers.report(name)));
    }
    throw failure;
  }

  /** The JVM's browser; the root store closes it, as an AutoCloseable, after the last test. */
  private static Chromium chromium(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Chromium.class, type -> Chromium.launch(), Chromium.class);
  }

  /** The test method's browsers; its store closes them when the method is done. */
  private static Browsers browsers(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Browsers.class, type -> new Browsers(chromium(context)), Browsers.class);
  }

  /** What the pages of a failed test logged; carried as a suppressed exception of the failure. */
  private static final class BrowserConsole extends RuntimeException {
    BrowserConsole(String report) {
      super("what the browser pages logged:\n" + report, null, false, false);
    }
  }
}
