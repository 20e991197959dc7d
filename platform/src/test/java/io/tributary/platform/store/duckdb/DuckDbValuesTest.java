package io.tributary.platform.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class DuckDbValuesTest {

    @Test
    void duckDbTypeNamesMapToClickHouseStyleNames() {
        assertThat(DuckDbValues.typeName("VARCHAR")).isEqualTo("String");
        assertThat(DuckDbValues.typeName("BIGINT")).isEqualTo("Int64");
        assertThat(DuckDbValues.typeName("INTEGER")).isEqualTo("Int32");
        assertThat(DuckDbValues.typeName("UBIGINT")).isEqualTo("UInt64");
        assertThat(DuckDbValues.typeName("HUGEINT")).isEqualTo("Int128");
        assertThat(DuckDbValues.typeName("DOUBLE")).isEqualTo("Float64");
        assertThat(DuckDbValues.typeName("DECIMAL(18,4)")).isEqualTo("Decimal(18, 4)");
        assertThat(DuckDbValues.typeName("TIMESTAMP")).isEqualTo("DateTime");
        assertThat(DuckDbValues.typeName("TIMESTAMP WITH TIME ZONE")).isEqualTo("DateTime");
        assertThat(DuckDbValues.typeName("DATE")).isEqualTo("Date");
        assertThat(DuckDbValues.typeName("BOOLEAN")).isEqualTo("UInt8");
        assertThat(DuckDbValues.typeName("VARCHAR[]")).isEqualTo("Array(String)");
        assertThat(DuckDbValues.typeName("BIGINT[]")).isEqualTo("Array(Int64)");
        assertThat(DuckDbValues.typeName("DECIMAL(38,4)[][]")).isEqualTo("Array(Array(Decimal(38, 4)))");
        assertThat(DuckDbValues.typeName("INTEGER[3]")).isEqualTo("Array(Int32)");
        assertThat(DuckDbValues.typeName("INTERVAL")).isEqualTo("INTERVAL");
    }

    @Test
    void valuesAreNormalisedByJavaType() throws Exception {
        assertThat(DuckDbValues.normalise(Boolean.TRUE)).isEqualTo(1L);
        assertThat(DuckDbValues.normalise(7)).isEqualTo(7L);
        assertThat(DuckDbValues.normalise((short) 7)).isEqualTo(7L);
        assertThat(DuckDbValues.normalise(new BigInteger("42"))).isEqualTo(42L);
        assertThat(DuckDbValues.normalise(new BigInteger("18446744073709551615"))).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(DuckDbValues.normalise(1.5f)).isEqualTo(1.5);
        assertThat(DuckDbValues.normalise(null)).isNull();
    }
}
