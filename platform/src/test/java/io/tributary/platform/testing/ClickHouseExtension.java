package io.tributary.platform.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real ClickHouse ({@link ClickHouseServer}): one per test JVM, started (or, with
 * {@code CLICKHOUSE_URL}, connected to) on first use and closed when the JVM's tests are done.
 * When neither a {@code clickhouse-server} binary nor {@code CLICKHOUSE_URL} exists, every test is
 * aborted before it runs — reported as skipped, with a message saying what is missing — never passed.
 * Test classes take their own database from {@link ClickHouseServer#newDatabase}.
 *
 * <p>Take the server as a parameter of {@code @BeforeEach} or {@code @Test} methods, not of
 * {@code @BeforeAll}: Maven's surefire/failsafe report a class aborted in {@code @BeforeAll} as
 * "Tests run: 0", which would hide that nothing ran; aborted tests show up as skipped.
 *
 * <pre>{@code @ExtendWith(ClickHouseExtension.class) class MyIT { @Test void t(ClickHouseServer server) { ... } } }</pre>
 */
public final class ClickHouseExtension implements BeforeEachCallback, ParameterResolver {

    private record ServerResource(ClickHouseServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }

    /** Remembered so that a missing server is looked for once per JVM, not once per class. */
    private record Missing(String reason) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ClickHouseServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    /** The JVM's shared server; aborts the calling test (TestAbortedException) when there is none. */
    public static ClickHouseServer shared(ExtensionContext context) {
        Object resource = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(ServerResource.class, k -> {
                    StringBuilder whyNot = new StringBuilder();
                    try {
                        Optional<ClickHouseServer> server = ClickHouseServer.startOrConnect(whyNot);
                        return server.<Object>map(ServerResource::new).orElseGet(() -> new Missing(whyNot.toString()));
                    } catch (IllegalStateException e) {
                        if (System.getenv("CLICKHOUSE_URL") != null) {
                            return new Missing("CLICKHOUSE_URL=" + System.getenv("CLICKHOUSE_URL") + " is set but unusable: " + e.getMessage());
                        }
                        throw e;
                    }
                });
        if (resource instanceof Missing missing) {
            Assumptions.abort(missing.reason());
        }
        return ((ServerResource) resource).server();
    }
}
