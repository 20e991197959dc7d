package io.tributary.platform.testing;

import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real in-JVM Kafka broker (KRaft), started once per test JVM and stopped when the
 * JVM's tests are done. Tests that share it use their own topic and group names.
 *
 * <pre>{@code @ExtendWith(KafkaBrokerExtension.class) class MyIT { @Test void t(EmbeddedKafkaBroker broker) { ... } } }</pre>
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private record BrokerResource(EmbeddedKafkaBroker broker, Path dir) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            broker.close();
            TestFiles.deleteRecursively(dir);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    public static EmbeddedKafkaBroker shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(BrokerResource.class, k -> {
                    try {
                        Path dir = Files.createTempDirectory("tributary-kafka-");
                        return new BrokerResource(EmbeddedKafkaBroker.start(dir, 0), dir);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, BrokerResource.class)
                .broker();
    }
}
