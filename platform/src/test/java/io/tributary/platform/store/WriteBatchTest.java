package io.tributary.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteBatchTest {
    private static final StoreTable FACTS = new StoreTable("facts", List.of(
            StoreColumn.required("id", ValueType.STRING),
            StoreColumn.optional("amount", ValueType.DECIMAL),
            StoreColumn.required("at", ValueType.TIMESTAMP),
            StoreColumn.required("tags", ValueType.STRING_ARRAY)),
            List.of("id"), Optional.empty(), WriteMode.INSERT_IGNORE_EXISTING);
    private static final StoreTable ENTITIES = new StoreTable("entities", List.of(
            StoreColumn.required("id", ValueType.STRING),
            StoreColumn.required("name", ValueType.STRING),
            StoreColumn.required("version", ValueType.INT64)),
            List.of("id"), Optional.of("version"), WriteMode.UPSERT_NEWER_VERSION);

    @Test
    void appendOnlyTablesKeepTheFirstRowOfAKey() {
        Instant at = Instant.parse("2023-06-15T14:30:45Z");
        WriteBatch batch = WriteBatch.of(FACTS, List.of(
                new Object[] {"a", new BigDecimal("1.5"), at, List.of("x")},
                new Object[] {"b", null, at, List.of()},
                new Object[] {"a", new BigDecimal("9"), at, List.of("y")}));
        assertThat(batch.rows()).extracting(r -> r.get(0)).containsExactly("a", "b");
        assertThat(batch.rows().get(0).get(1)).isEqualTo(new BigDecimal("1.5000"));
        assertThat(batch.duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void upsertTablesKeepTheHighestVersionOfAKeyAndTheFirstOnTies() {
        WriteBatch batch = WriteBatch.of(ENTITIES, List.of(
                new Object[] {"a", "a3", 3L},
                new Object[] {"b", "b1", 1L},
                new Object[] {"a", "a5", 5L},
                new Object[] {"a", "a4", 4L},
                new Object[] {"b", "b1-again", 1L}));
        assertThat(batch.rows()).containsExactly(List.of("a", "a5", 5L), List.of("b", "b1", 1L));
        assertThat(batch.duplicatesDropped()).isEqualTo(3);
    }

    @Test
    void valuesAreNormalisedToWhatBothStoresKeep() {
        WriteBatch batch = WriteBatch.of(FACTS, List.<Object[]>of(
                new Object[] {"a", new BigDecimal("1E+2"), Instant.parse("2023-06-15T14:30:45.987654Z"), new ArrayList<>(List.of("x"))}));
        List<Object> row = batch.rows().get(0);
        assertThat(row.get(1)).isEqualTo(new BigDecimal("100.0000"));
        assertThat(row.get(2)).isEqualTo(Instant.parse("2023-06-15T14:30:45Z"));
        assertThatThrownBy(() -> row.set(0, "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badRowsAreRejectedWithRowAndColumn() {
        Instant at = Instant.parse("2023-06-15T14:30:45Z");
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {"a", null, at})))
                .hasMessage("facts row 0 has 3 values, the table has 4 columns");
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {null, null, at, List.of()})))
                .hasMessage("facts row 0 column id is null but the column is required");
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {"a", 1.5, at, List.of()})))
                .hasMessageContaining("facts row 0 column amount holds a java.lang.Double");
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {"a", new BigDecimal("0.00001"), at, List.of()})))
                .hasMessageContaining("column amount 0.00001 has more than 4 decimal places");
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {"a", new BigDecimal("100000000000000"), at, List.of()})))
                .hasMessageContaining("more than 18 digits");
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {"a", null, Instant.parse("2106-01-01T00:00:00Z"), List.of()})))
                .hasMessageContaining("column at 2106-01-01T00:00:00Z is outside");
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> WriteBatch.of(FACTS, List.<Object[]>of(new Object[] {"a", null, at, withNull})))
                .hasMessageContaining("column tags");
    }
}
