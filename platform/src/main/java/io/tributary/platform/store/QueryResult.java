package io.tributary.platform.store;

import java.util.List;

/**
 * Rows of a read query. Values are normalised so that both stores give equal results:
 * every integer type → Long, floating point → Double, decimals → BigDecimal, DateTime/TIMESTAMP →
 * LocalDateTime (UTC), Date → LocalDate, booleans → Boolean, arrays → List, NULL → null.
 */
public record QueryResult(List<ResultColumn> columns, List<List<Object>> rows, QueryStatistics statistics) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** A result column; {@code type} is a ClickHouse-style name without Nullable(): String, Int64, UInt64, Float64, Decimal(38, 4), DateTime, Date, UInt8, Array(String). */
    public record ResultColumn(String name, String type) {
    }

    /** Tinybird's statistics block: seconds elapsed in the store, rows and bytes the store read. */
    public record QueryStatistics(double elapsed, long rowsRead, long bytesRead) {
    }
}
