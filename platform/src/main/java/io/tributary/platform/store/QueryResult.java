package io.tributary.platform.store;

import java.util.List;

/**
 * Rows of a read query. Values are normalised so that both stores give equal results:
 * every integer type → Long (BigInteger only for a UInt64/Int128 value beyond Long's range),
 * floating point → Double, decimals → BigDecimal (with the column's scale), DateTime/TIMESTAMP →
 * LocalDateTime (UTC), Date → LocalDate, booleans → Long 0/1 with type UInt8 (ClickHouse 18.16 has
 * no Bool type: its comparisons yield UInt8, so DuckDB's BOOLEAN is reported the same way),
 * arrays → List, NULL → null. Each row is an unmodifiable list that may hold nulls.
 */
public record QueryResult(List<ResultColumn> columns, List<List<Object>> rows, QueryStatistics statistics) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /**
     * A result column; {@code type} is a ClickHouse-style name without Nullable() and without a
     * time zone: String, Int32, Int64, UInt64, Float64, Decimal(38, 4), DateTime, Date, UInt8,
     * Array(String).
     */
    public record ResultColumn(String name, String type) {
    }

    /**
     * Tinybird's statistics block: seconds elapsed in the store, rows and bytes the store read.
     * ClickHouse reports all three itself; DuckDB's elapsed is measured around the query, rows_read is
     * its profiler's cumulative rows scanned and bytes_read is 0 (DuckDB has no such counter).
     */
    public record QueryStatistics(double elapsed, long rowsRead, long bytesRead) {
    }
}
