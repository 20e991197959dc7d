package io.tributary.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parts of the client that need no server; the rest runs in the platform contract tests. */
class HttpSchemaRegistryClientTest {

    @Test
    void subjectsAreEncodedAsOnePathSegment() {
        assertThat(HttpSchemaRegistryClient.encode("customer_events-value")).isEqualTo("customer_events-value");
        assertThat(HttpSchemaRegistryClient.encode("with space/and+plus")).isEqualTo("with%20space%2Fand%2Bplus");
        assertThat(HttpSchemaRegistryClient.encode("ümlaut")).isEqualTo("%C3%BCmlaut");
    }

    @Test
    void baseUrlKeepsItsPathPrefixWithoutTrailingSlashes() {
        assertThat(HttpSchemaRegistryClient.builder("http://h:8080/apis/ccompat/v7/").build().baseUrl())
                .isEqualTo("http://h:8080/apis/ccompat/v7");
        assertThat(HttpSchemaRegistryClient.builder(" http://h:8080/schema-registry ").build().baseUrl())
                .isEqualTo("http://h:8080/schema-registry");
    }

    @Test
    void rejectsNonHttpUrlsAndBlankTokens() {
        assertThatThrownBy(() -> HttpSchemaRegistryClient.builder("ftp://h/registry"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
        assertThatThrownBy(() -> HttpSchemaRegistryClient.builder("http://h").bearerToken(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsVersionsBelowOneExceptLatestBeforeAnyRequest() {
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.builder("http://127.0.0.1:9").build();

        assertThatThrownBy(() -> client.version("s", 0))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_VERSION);
                    assertThat(e.httpStatus()).isEqualTo(422);
                });
    }
}
