package io.tributary.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyRowsTest {
    private final BodyRows rows = new BodyRows(new JsonFactory());

    private record Row(long line, String text) {
    }

    private List<Row> split(String body) {
        return split(body.getBytes(StandardCharsets.UTF_8));
    }

    private List<Row> split(byte[] bytes) {
        List<Row> out = new ArrayList<>();
        long count = rows.forEach(EventsBody.of(bytes), (line, off, len) -> {
            out.add(new Row(line, new String(bytes, off, len, StandardCharsets.UTF_8)));
            return true;
        });
        assertThat(count).isEqualTo(out.size());
        return out;
    }

    @Test
    void ndjsonLinesAreRowsNumberedFromOne() {
        assertThat(split("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n")).containsExactly(
                new Row(1, "{\"a\":1}"), new Row(2, "{\"a\":2}"), new Row(3, "{\"a\":3}"));
    }

    @Test
    void lastLineNeedsNoNewline() {
        assertThat(split("{\"a\":1}\n{\"a\":2}")).containsExactly(new Row(1, "{\"a\":1}"), new Row(2, "{\"a\":2}"));
    }

    @Test
    void blankLinesAreSkippedButCounted() {
        assertThat(split("\n{\"a\":1}\n\n   \n\t\r\n{\"a\":2}\n\n")).containsExactly(
                new Row(2, "{\"a\":1}"), new Row(6, "{\"a\":2}"));
    }

    @Test
    void crlfLineEndsAreNotPartOfTheRow() {
        assertThat(split("{\"a\":1}\r\n{\"a\":2}\r\n")).containsExactly(new Row(1, "{\"a\":1}"), new Row(2, "{\"a\":2}"));
    }

    @Test
    void theSeedsPrettyPrintedObjectIsOneRow() {
        List<Row> split = split(SeedExamples.CUSTOMER_EVENT_CURL_BODY);
        assertThat(split).containsExactly(new Row(1, SeedExamples.CUSTOMER_EVENT_CURL_BODY));
    }

    @Test
    void aMultiLineObjectIsNumberedByItsFirstLineAndTrimmed() {
        assertThat(split("\r\n\r\n{\r\n  \"a\": 1,\r\n  \"b\": {\"c\": 2}\r\n}\r\n\r\n")).containsExactly(
                new Row(3, "{\r\n  \"a\": 1,\r\n  \"b\": {\"c\": 2}\r\n}"));
    }

    @Test
    void twoPrettyPrintedObjectsAreNotOneRowButLinesOfNdjson() {
        List<Row> split = split("{\n\"a\": 1\n}\n{\n\"a\": 2\n}\n");
        assertThat(split).extracting(Row::line).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void anUnfinishedFirstLineOfNdjsonStaysALine() {
        assertThat(split("{\"a\": \n{\"a\":2}\n")).containsExactly(new Row(1, "{\"a\": "), new Row(2, "{\"a\":2}"));
    }

    @Test
    void malformedLinesAreStillRows() {
        assertThat(split("{\"a\":1}\nnot json\n{\"a\":3}")).extracting(Row::line).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aBodyOfBlankLinesHasNoRows() {
        assertThat(split(" \n\r\n\t\n")).isEmpty();
        assertThat(split("")).isEmpty();
    }

    @Test
    void aUtf8ByteOrderMarkIsSkipped() {
        byte[] json = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertThat(split(withBom)).containsExactly(new Row(1, "{\"a\":1}"));
    }

    @Test
    void onlyTheGivenLengthOfTheArrayIsRead() {
        byte[] bytes = "{\"a\":1}\n{\"a\":2}\nGARBAGE".getBytes(StandardCharsets.UTF_8);
        List<Long> lines = new ArrayList<>();
        rows.forEach(new EventsBody(bytes, bytes.length - "GARBAGE".length()), (line, off, len) -> lines.add(line));
        assertThat(lines).containsExactly(1L, 2L);
    }

    @Test
    void theVisitorCanStopEarly() {
        List<Long> lines = new ArrayList<>();
        long visited = rows.forEach(EventsBody.of("{}\n{}\n{}\n".getBytes(StandardCharsets.UTF_8)), (line, off, len) -> {
            lines.add(line);
            return line < 2;
        });
        assertThat(lines).containsExactly(1L, 2L);
        assertThat(visited).isEqualTo(2);
    }
}
