package io.modelcycle.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureType;
import io.modelcycle.core.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema and task inference from a CSV, for {@code train --target} and the standalone drift check. */
class CsvSchemasTest {

    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        Path file = dir.resolve("data-" + System.nanoTime() + ".csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void numbersAreNumericOtherColumnsCategoricalWithTheValuesSeen() throws Exception {
        Path file = csv("""
                amount,country,hour,fraud
                12.5,DE,3,no
                7,FR,,yes
                1e3,DE,23,no
                """);

        CsvSchemas.Inferred inferred = CsvSchemas.infer(file, "fraud");

        assertThat(inferred.schema().features()).extracting(Feature::name).containsExactly("amount", "country", "hour");
        assertThat(inferred.schema().feature("amount")).get().extracting(Feature::type).isEqualTo(FeatureType.NUMERIC);
        assertThat(inferred.schema().feature("hour")).get().extracting(Feature::type).isEqualTo(FeatureType.NUMERIC);
        assertThat(inferred.schema().feature("country").get().allowedValues()).containsExactly("DE", "FR");
        assertThat(inferred.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
        assertThat(inferred.rows()).isEqualTo(3);
    }

    @Test
    void fewTargetValuesAreMulticlassManyNumbersRegression() throws Exception {
        StringBuilder multi = new StringBuilder("x,y\n");
        StringBuilder regression = new StringBuilder("x,y\n");
        for (int i = 0; i < 60; i++) {
            multi.append(i).append(',').append("abc".charAt(i % 3)).append('\n');
            regression.append(i).append(',').append(i * 1.5).append('\n');
        }

        assertThat(CsvSchemas.infer(csv(multi.toString()), "y").task()).isEqualTo(Task.MULTICLASS_CLASSIFICATION);
        assertThat(CsvSchemas.infer(csv(regression.toString()), "y").task()).isEqualTo(Task.REGRESSION);
    }

    @Test
    void aMissingTargetColumnOrAConstantTargetIsNamed() throws Exception {
        Path file = csv("a,b\n1,x\n2,x\n");

        assertThatThrownBy(() -> CsvSchemas.infer(file, "label")).hasMessageContaining("'label'")
                .hasMessageContaining("a, b");
        assertThatThrownBy(() -> CsvSchemas.infer(file, "b")).hasMessageContaining("1 distinct value");
    }

    @Test
    void mergingTwoFilesAllowsTheValuesOfBoth() throws Exception {
        var a = CsvSchemas.infer(csv("n,c\n1,x\n2,y\n"), null).schema();
        var b = CsvSchemas.infer(csv("n,c\n3,z\n4,x\n"), null).schema();

        var merged = CsvSchemas.merge(a, b);

        assertThat(merged.feature("n").get().type()).isEqualTo(FeatureType.NUMERIC);
        assertThat(merged.feature("c").get().allowedValues()).containsExactly("x", "y", "z");
    }
}
