package io.modelcycle.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Task;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema(List.of(
            Feature.numeric("age"), Feature.categorical("colour", List.of("red", "blue"))));

    @Test
    void columnsAreFoundByHeaderInAnyOrderAndGapsAreMissing() {
        // GIVEN the target first, features swapped, an extra column and a gap
        String csv = "label,extra,colour,age\nyes,zzz,red,41.5\nno,,blue,\n";

        // WHEN read against the schema
        Dataset data = new DatasetReader(SCHEMA, "label", Task.BINARY_CLASSIFICATION).read(new StringReader(csv), "d.csv");

        // THEN values are in schema order, typed, and the gap is null
        assertThat(data.rows()).hasSize(2);
        assertThat(data.rows().get(0).features()).containsExactly(41.5, "red");
        assertThat(data.rows().get(0).target()).isEqualTo("yes");
        assertThat(data.rows().get(1).features()).isEqualTo(Arrays.asList(null, "blue"));
        assertThat(data.missingCount()).isEqualTo(1);
    }

    @Test
    void badNumberNamesFileLineAndColumn() {
        String csv = "age,colour,label\n1,red,a\n\"x1\",blue,b\n";

        assertThatThrownBy(() -> new DatasetReader(SCHEMA, "label", Task.BINARY_CLASSIFICATION).read(new StringReader(csv), "d.csv"))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo("age");
                    assertThat(e.code()).isEqualTo("BAD_DATASET");
                })
                .hasMessage("d.csv: line 3, column 'age': 'x1' is not a number");
    }

    @Test
    void categoricalOutsideAllowedValuesAndMissingTargetAreRefused() {
        DatasetReader reader = new DatasetReader(SCHEMA, "label", Task.BINARY_CLASSIFICATION);
        assertThatThrownBy(() -> reader.read(new StringReader("age,colour,label\n1,green,a\n"), "d.csv"))
                .hasMessageContaining("column 'colour'").hasMessageContaining("'green' is not one of the allowed values");
        assertThatThrownBy(() -> reader.read(new StringReader("age,colour,label\n1,red,\n"), "d.csv"))
                .hasMessageContaining("column 'label'").hasMessageContaining("target is missing");
        assertThatThrownBy(() -> new DatasetReader(SCHEMA, "y", Task.REGRESSION).read(new StringReader("age,colour,y\n1,red,NaN\n"), "d.csv"))
                .hasMessageContaining("not a finite number");
    }

    @Test
    void headerWithoutASchemaColumnIsASchemaMismatch() {
        assertThatThrownBy(() -> new DatasetReader(SCHEMA, "label", Task.BINARY_CLASSIFICATION)
                .read(new StringReader("age,label\n1,a\n"), "d.csv"))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("[colour]");
    }

    @Test
    void writtenDatasetReadsBackEqual(@TempDir Path dir) throws Exception {
        // GIVEN a generated dataset with gaps, written as CSV
        SyntheticDataset spec = SyntheticDataset.binary(200, 8, 3).withMissingRate(0.1);
        Dataset original = spec.generate();
        Path file = dir.resolve("data.csv");
        original.writeCsv(file);

        // WHEN read back THEN every row is identical
        Dataset back = new DatasetReader(spec.schema(), SyntheticDataset.TARGET, spec.task()).read(List.of(file));
        assertThat(back.rows()).isEqualTo(original.rows());
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("x1,x2,x3,x4,x5,x6,c1,c2,target");
    }
}
