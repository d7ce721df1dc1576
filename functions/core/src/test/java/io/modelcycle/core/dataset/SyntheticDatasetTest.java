package io.modelcycle.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.model.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    @Test
    void sameSpecGivesSameRowsAndOtherSeedOthers() {
        SyntheticDataset spec = SyntheticDataset.binary(500, 20, 11);

        assertThat(spec.generate().rows()).isEqualTo(spec.generate().rows());
        assertThat(spec.withSeed(12).generate().rows()).isNotEqualTo(spec.generate().rows());
    }

    @Test
    void binaryClassesAreBothFrequentAndStableAcrossSeeds() {
        // GIVEN a noise-free dataset
        Dataset data = SyntheticDataset.binary(4000, 12, 5).withNoise(0).withMissingRate(0).generate();

        // THEN both classes occur in quantity, and another seed's draw of the same concept has about the same balance
        long ones = data.rows().stream().filter(r -> r.target().equals("1")).count();
        assertThat(ones).isBetween(800L, 3200L);
        Dataset other = SyntheticDataset.binary(4000, 12, 6).withNoise(0).withMissingRate(0).generate();
        long otherOnes = other.rows().stream().filter(r -> r.target().equals("1")).count();
        assertThat(Math.abs(ones - otherOnes)).isLessThan(300);
    }

    @Test
    void missingRateIsHonouredAndTasksHaveTheirTargets() {
        Dataset data = SyntheticDataset.binary(2000, 10, 1).withMissingRate(0.1).generate();
        assertThat(data.missingCount() / (2000.0 * 10)).isBetween(0.08, 0.12);

        Dataset multi = SyntheticDataset.multiclass(3000, 8, 4, 1).generate();
        assertThat(multi.rows().stream().map(Row::target).distinct().sorted().toList())
                .containsExactly("class0", "class1", "class2", "class3");
        Dataset reg = SyntheticDataset.regression(100, 8, 1).generate();
        assertThat(reg.rows()).allSatisfy(r -> assertThat(r.target()).isInstanceOf(Double.class));
        assertThat(reg.task()).isEqualTo(Task.REGRESSION);
    }

    @Test
    void shiftMovesTheChosenFeatureOnly() {
        SyntheticDataset spec = SyntheticDataset.binary(3000, 8, 9).withMissingRate(0);
        Dataset base = spec.generate();
        Dataset drifted = spec.withShifts(Map.of("x1", 2.0, "c1", 0.8)).generate();

        // x1 has scale 0.5 → mean moves by about 1.0; x2 (scale 2.5) stays
        assertThat(mean(drifted, 0) - mean(base, 0)).isBetween(0.9, 1.1);
        assertThat(Math.abs(mean(drifted, 1) - mean(base, 1))).isLessThan(0.2);
        int c1 = spec.schema().names().indexOf("c1");
        double shareA = drifted.rows().stream().filter(r -> "a".equals(r.features().get(c1))).count() / 3000.0;
        assertThat(shareA).isGreaterThan(0.8);
        assertThatThrownBy(() -> spec.withShifts(Map.of("nope", 1.0)).generate()).hasMessageContaining("nope");
    }

    @Test
    void schemaHasNumericThenCategoricalFeatures() {
        assertThat(SyntheticDataset.binary(1, 8, 0).schema().names())
                .isEqualTo(List.of("x1", "x2", "x3", "x4", "x5", "x6", "c1", "c2"));
    }

    private static double mean(Dataset data, int feature) {
        return data.rows().stream().mapToDouble(r -> (Double) r.features().get(feature)).average().orElseThrow();
    }
}
