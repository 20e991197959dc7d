package io.tributary.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

    @Test
    void tenRecordsFromTheStartByDefault() {
        assertThat(PageRequest.fromQuery(Map.of())).isEqualTo(new PageRequest(10, Optional.empty(), Optional.empty()));
    }

    @Test
    void readsTheLimitAndOneCursor() {
        assertThat(PageRequest.fromQuery(Map.of("limit", List.of("100"), "starting_after", List.of("xgQQXg3hrtjh7AvZ"))))
                .isEqualTo(new PageRequest(100, Optional.of("xgQQXg3hrtjh7AvZ"), Optional.empty()));
        assertThat(PageRequest.fromQuery(Map.of("limit", List.of("1"), "ending_before", List.of("hSIhXBhNe8X1d8Et"))))
                .isEqualTo(new PageRequest(1, Optional.empty(), Optional.of("hSIhXBhNe8X1d8Et")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "abc", "-1", "1.5", ""})
    void aLimitOutside1To100IsA400NamingIt(String limit) {
        assertThatThrownBy(() -> PageRequest.fromQuery(Map.of("limit", List.of(limit))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("limit");
                });
    }

    @Test
    void bothCursorsOrARepeatedParameterIsA400() {
        assertThatThrownBy(() -> PageRequest.fromQuery(Map.of("starting_after", List.of("a"), "ending_before", List.of("b"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("ending_before"));
        assertThatThrownBy(() -> PageRequest.fromQuery(Map.of("limit", List.of("5", "6"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("parameter 'limit' is given 2 times"));
    }
}
