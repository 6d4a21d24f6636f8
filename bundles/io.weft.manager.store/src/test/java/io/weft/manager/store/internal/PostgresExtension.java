package io.weft.manager.store.internal;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Supplies a {@link PostgresServer} parameter. The first request starts the server and stores
 * it in the root extension context. All test classes of the run share it, and JUnit stops it
 * when the run ends, whatever the tests' outcome. When the binaries are missing, every test
 * that requests the server fails with the message of {@link PostgresServer#findBinaries}.
 */
final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    /** Adapts the server to the store's closeable resources, which JUnit closes at the end of the run. */
    private record RunningServer(PostgresServer server) implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        return store.getOrComputeIfAbsent(RunningServer.class, key -> start(), RunningServer.class).server();
    }

    private static RunningServer start() {
        try {
            return new RunningServer(PostgresServer.start());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ParameterResolutionException("Failed to start the PostgreSQL test server: " + e.getMessage(), e);
        }
    }
}
