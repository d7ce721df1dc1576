package io.modelcycle.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<List<String>> readAll(String csv) {
        try (CsvReader reader = new CsvReader(new StringReader(csv), "test.csv")) {
            List<List<String>> out = new ArrayList<>();
            out.add(reader.header());
            List<String> record;
            while ((record = reader.next()) != null) {
                out.add(record);
            }
            return out;
        }
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        // GIVEN RFC 4180 quoting with CRLF records and a line break inside quotes
        String csv = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,,end\r\n";

        // WHEN it is read
        List<List<String>> records = readAll(csv);

        // THEN every field comes back as written
        assertThat(records).containsExactly(
                List.of("a", "b", "c"),
                List.of("x,1", "say \"hi\"", "two\nlines"),
                List.of("plain", "", "end"));
    }

    @Test
    void recordLineCountsLineBreaksInsideQuotes() {
        // GIVEN a record spanning lines 2-3, then a short record on line 4
        String csv = "a,b\n\"1\n2\",3\nonly-one\n";

        // WHEN/THEN the short record is reported on its own line
        assertThatThrownBy(() -> readAll(csv))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("test.csv: line 4")
                .hasMessageContaining("expected 2 fields");
    }

    @Test
    void unterminatedQuoteNamesLineAndColumn() {
        String csv = "a,b\n1,2\n3,\"open\n";

        assertThatThrownBy(() -> readAll(csv))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo("b");
                })
                .hasMessageContaining("not closed");
    }

    @Test
    void strayQuoteInUnquotedFieldIsRefused() {
        assertThatThrownBy(() -> readAll("a,b\nfoo\"bar,2\n"))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> assertThat(e.column()).isEqualTo("a"));
    }

    @Test
    void duplicateAndEmptyHeadersAreRefused() {
        assertThatThrownBy(() -> readAll("a,b,a\n1,2,3\n")).hasMessageContaining("column 'a'").hasMessageContaining("twice");
        assertThatThrownBy(() -> readAll("")).hasMessageContaining("empty");
    }

    @Test
    void writerOutputReadsBackIdentically() {
        // GIVEN awkward fields
        List<List<String>> records = List.of(List.of("h1", "h2", "h3"),
                List.of(" lead", "a\"b", "x\r\ny"), List.of("", "plain", "c,d"));
        StringWriter out = new StringWriter();
        try (CsvWriter writer = new CsvWriter(out)) {
            records.forEach(writer::writeRecord);
        }

        // WHEN read back THEN nothing changed
        assertThat(readAll(out.toString())).isEqualTo(records);
        assertThat(CsvWriter.quote("simple")).isEqualTo("simple");
        assertThat(Arrays.asList(CsvWriter.quote("a,b"), CsvWriter.quote("q\""))).containsExactly("\"a,b\"", "\"q\"\"\"");
    }
}
