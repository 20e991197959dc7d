package io.tributary.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomerUploadRoutesTest {
    @Test
    void acceptHeadersThatAdmitJson() {
        assertThat(CustomerUploadRoutes.acceptsJson(null)).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("*/*")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("application/json")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("text/html, application/*;q=0.2")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(CustomerUploadRoutes.acceptsJson("text/html")).isFalse();
        assertThat(CustomerUploadRoutes.acceptsJson("application/json;q=0")).isFalse();
        assertThat(CustomerUploadRoutes.acceptsJson("application/xml, text/*")).isFalse();
    }
}
