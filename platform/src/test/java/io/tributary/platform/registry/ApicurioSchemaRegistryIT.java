package io.tributary.platform.registry;

import io.tributary.platform.kafka.EmbeddedKafkaBroker;
import io.tributary.schemas.registry.HttpSchemaRegistryClient;
import java.util.Optional;

/**
 * The registry contract against a real Apicurio Registry 2.6 through its Confluent-compatible API,
 * the reference the embedded registry is held to. Skipped, with the reason, when the unpacked
 * distribution is missing.
 */
class ApicurioSchemaRegistryIT extends SchemaRegistryContract {
    private Optional<String> missing = Optional.empty();
    private ApicurioRegistryProcess apicurio;

    @Override
    protected void startRegistry(EmbeddedKafkaBroker broker) {
        missing = ApicurioRegistryProcess.missingDistribution();
        if (missing.isEmpty()) {
            apicurio = ApicurioRegistryProcess.start();
        }
    }

    @Override
    protected Optional<String> unavailable() {
        return missing;
    }

    @Override
    protected void stopRegistry() {
        if (apicurio != null) {
            apicurio.close();
        }
    }

    @Override
    protected HttpSchemaRegistryClient.Builder clientBuilder() {
        return HttpSchemaRegistryClient.builder(apicurio.confluentApiUrl());
    }

    @Override
    protected Optional<String> authorization() {
        return Optional.empty();
    }
}
