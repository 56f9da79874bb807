package dev.parley.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link PostgresServer}: one per JVM, started when the first class that uses it
 * starts, shared by every class after it, and stopped when all tests have run. Resolves {@code
 * PostgresServer} parameters of test constructors, test methods and lifecycle methods; tests that
 * need isolation take a {@link PostgresServer#createDatabase() database of their own}.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  /** Starts the server before the class, so that a failure to start fails the class at once. */
  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  /** The JVM's server; the root store closes it, as an AutoCloseable, after the last test. */
  private static PostgresServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            PostgresServer.class, type -> PostgresServer.start(), PostgresServer.class);
  }
}
