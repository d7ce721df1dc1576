package io.modelcycle.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema(List.of(
            Feature.numeric("age"), Feature.categorical("plan", List.of("free", "pro", "team")), Feature.numeric("spend")));

    private static Map<String, Object> row(Object age, Object plan, Object spend) {
        Map<String, Object> row = new HashMap<>();
        row.put("age", age);
        row.put("plan", plan);
        row.put("spend", spend);
        return row;
    }

    @Test
    void summarises_numeric_and_categorical_columns_with_missing_and_out_of_set_values() {
        // GIVEN five rows with a null age, an absent spend and a plan outside the allowed set
        ProfileBuilder builder = ProfileBuilder.baseline(SCHEMA, Feature.categorical("label", List.of("no", "yes")));
        builder.add(row(30, "free", 10.0), "no");
        builder.add(row(40, "pro", 20.0), "yes");
        builder.add(row(null, "pro", 30.0), "yes");
        builder.add(Map.of("age", 50, "plan", "enterprise"), "no");
        builder.add(row(60.0, null, "40"), null);

        // WHEN the profile is built
        Profile profile = builder.build();

        // THEN every count, moment and frequency is what the rows say
        assertThat(profile.rows()).isEqualTo(5);
        NumericProfile age = profile.feature("age").orElseThrow().numeric();
        assertThat(age.count()).isEqualTo(4);
        assertThat(age.missing()).isEqualTo(1);
        assertThat(age.mean()).isCloseTo(45.0, within(1e-12));
        assertThat(age.std()).isCloseTo(Math.sqrt(125.0), within(1e-12));
        assertThat(age.min()).isEqualTo(30.0);
        assertThat(age.max()).isEqualTo(60.0);
        assertThat(age.sample()).containsExactly(30.0, 40.0, 50.0, 60.0);
        assertThat(age.distinctCount()).hasValue(4);
        NumericProfile spend = profile.feature("spend").orElseThrow().numeric();
        assertThat(spend.count()).isEqualTo(4);
        assertThat(spend.missing()).isEqualTo(1);
        CategoricalProfile plan = profile.feature("plan").orElseThrow().categorical();
        assertThat(plan.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("free", 1L, "pro", 2L, "team", 0L));
        assertThat(plan.outOfSet()).isEqualTo(1);
        assertThat(plan.missing()).isEqualTo(1);
        assertThat(profile.prediction().categorical().counts()).containsEntry("no", 2L).containsEntry("yes", 2L);
        assertThat(profile.prediction().categorical().missing()).isEqualTo(1);
    }

    @Test
    void moments_and_bins_of_a_large_stream_match_a_direct_computation() {
        // GIVEN 200 000 values far from zero, more than the edge sample and the sample limit
        Random random = new Random(7);
        double[] values = new double[200_000];
        ProfileBuilder builder = ProfileBuilder.baseline(new FeatureSchema(List.of(Feature.numeric("x"))), null);
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e6 + random.nextGaussian() * 3;
            builder.addRow(new double[] {values[i]}, Double.NaN);
        }

        // WHEN it is profiled
        NumericProfile x = builder.build().features().get(0).numeric();

        // THEN mean and std agree with a two-pass computation, the exact sample is dropped, and every value is
        // counted in the bin its edges say
        double mean = Arrays.stream(values).average().orElseThrow();
        double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
        assertThat(x.mean()).isCloseTo(mean, within(1e-9));
        assertThat(x.std()).isCloseTo(Math.sqrt(var), within(1e-9));
        assertThat(x.sample()).isNull();
        assertThat(x.distinctCount()).isEmpty();
        double[] edges = x.histogram().edgeArray();
        assertThat(edges.length).isBetween(190, ProfileBuilder.DEFAULT_BINS - 1);
        long[] expected = new long[edges.length + 1];
        double[] sums = new double[edges.length + 1];
        for (double v : values) {
            expected[Histogram.binOf(edges, v)]++;
            sums[Histogram.binOf(edges, v)] += v;
        }
        assertThat(x.histogram().countArray()).containsExactly(expected);
        // equal-mass bins from the first 10 000 values: no bin holds much more than 1/200 of the data
        assertThat(Arrays.stream(expected).max().orElseThrow()).isLessThan(values.length / 100);
        assertThat(x.quantile(0.5)).isCloseTo(1e6, within(0.1));
    }

    @Test
    void few_distinct_values_get_one_bin_each() {
        ProfileBuilder builder = ProfileBuilder.baseline(new FeatureSchema(List.of(Feature.numeric("rooms"))), null);
        for (int i = 0; i < 5_000; i++) {
            builder.addRow(new double[] {1 + i % 4}, Double.NaN);
        }
        NumericProfile rooms = builder.build().features().get(0).numeric();
        assertThat(rooms.distinctValues()).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(rooms.histogram().edges()).containsExactly(2.0, 3.0, 4.0);
        assertThat(rooms.histogram().counts()).containsExactly(1250L, 1250L, 1250L, 1250L);
    }

    @Test
    void a_current_profile_is_binned_on_the_baselines_edges() {
        // GIVEN a baseline on [0, 1) and current data shifted to [0.5, 1.5)
        Random random = new Random(1);
        ProfileBuilder base = ProfileBuilder.baseline(SCHEMA, Feature.numeric("score")).optBins(10);
        for (int i = 0; i < 2_000; i++) {
            base.add(row(random.nextDouble(), "free", random.nextDouble()), random.nextDouble());
        }
        Profile baseline = base.build();

        // WHEN the current data are profiled against it
        ProfileBuilder current = ProfileBuilder.against(baseline);
        for (int i = 0; i < 500; i++) {
            current.add(row(0.5 + random.nextDouble(), "team", 1.0), 0.5);
        }
        Profile profile = current.build();

        // THEN it has the baseline's edges, and everything above the baseline lands in the last bin
        NumericProfile age = profile.feature("age").orElseThrow().numeric();
        assertThat(age.histogram().edges()).isEqualTo(baseline.feature("age").orElseThrow().numeric().histogram().edges());
        long above = Arrays.stream(age.histogram().countArray()).skip(age.histogram().bins() - 1).sum();
        assertThat(above).isGreaterThan(240);
        assertThat(age.sample()).hasSize(500);
        assertThat(profile.prediction().numeric().count()).isEqualTo(500);
        assertThatThrownBy(() -> ProfileBuilder.against(baseline).optBins(5))
                .isInstanceOf(ValidationException.class).hasMessageContaining("baseline's settings");
    }

    @Test
    void merging_two_profiles_gives_the_profile_of_the_combined_data() {
        // GIVEN a baseline, and current data split in two parts
        Random random = new Random(3);
        ProfileBuilder base = ProfileBuilder.baseline(SCHEMA, Feature.numeric("score"));
        for (int i = 0; i < 3_000; i++) {
            base.add(row(random.nextGaussian(), random.nextBoolean() ? "pro" : "free", random.nextDouble() * 100),
                    random.nextDouble());
        }
        Profile baseline = base.build();
        ProfileBuilder whole = ProfileBuilder.against(baseline);
        ProfileBuilder first = ProfileBuilder.against(baseline);
        ProfileBuilder second = ProfileBuilder.against(baseline);
        for (int i = 0; i < 1_500; i++) {
            Map<String, Object> r = row(i % 17 == 0 ? null : random.nextGaussian() + 0.3,
                    i % 5 == 0 ? "team" : "pro", random.nextDouble() * 50);
            double score = random.nextDouble();
            whole.add(r, score);
            (i < 600 ? first : second).add(r, score);
        }

        // WHEN the two parts are merged
        Profile merged = first.build().merge(second.build());
        Profile direct = whole.build();

        // THEN counts, bins and frequencies are identical and moments agree to rounding
        assertThat(merged.rows()).isEqualTo(direct.rows());
        for (FeatureProfile f : direct.features()) {
            FeatureProfile m = merged.feature(f.name()).orElseThrow();
            if (f.numericType()) {
                assertThat(m.numeric().histogram().counts()).isEqualTo(f.numeric().histogram().counts());
                assertThat(m.numeric().count()).isEqualTo(f.numeric().count());
                assertThat(m.numeric().missing()).isEqualTo(f.numeric().missing());
                assertThat(m.numeric().mean()).isCloseTo(f.numeric().mean(), within(1e-12));
                assertThat(m.numeric().std()).isCloseTo(f.numeric().std(), within(1e-12));
                assertThat(m.numeric().min()).isEqualTo(f.numeric().min());
                assertThat(m.numeric().max()).isEqualTo(f.numeric().max());
                assertThat(m.numeric().sample()).isNull();
            } else {
                assertThat(m.categorical()).isEqualTo(f.categorical());
            }
        }
        assertThat(merged.prediction().numeric().histogram().counts())
                .isEqualTo(direct.prediction().numeric().histogram().counts());
    }

    @Test
    void small_profiles_merge_their_exact_samples() {
        ProfileBuilder a = ProfileBuilder.baseline(SCHEMA, null).optEdges("age", new double[] {0, 10});
        ProfileBuilder b = ProfileBuilder.baseline(SCHEMA, null).optEdges("age", new double[] {0, 10})
                .optEdges("spend", new double[] {1});
        a.optEdges("spend", new double[] {1});
        a.add(row(5, "free", 1)).add(row(-1, "free", 2));
        b.add(row(12, "pro", 3));
        NumericProfile age = a.build().merge(b.build()).feature("age").orElseThrow().numeric();
        assertThat(age.sample()).containsExactly(-1.0, 5.0, 12.0);
        assertThat(age.histogram().counts()).containsExactly(1L, 1L, 1L);
    }

    @Test
    void profiles_on_different_edges_refuse_to_merge() {
        ProfileBuilder a = ProfileBuilder.baseline(SCHEMA, null);
        ProfileBuilder b = ProfileBuilder.baseline(SCHEMA, null);
        a.add(row(1, "free", 1)).add(row(2, "free", 1));
        b.add(row(3, "free", 1)).add(row(4, "free", 1));
        assertThatThrownBy(() -> a.build().merge(b.build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("different edges");
    }

    @Test
    void a_profile_round_trips_through_json() {
        Random random = new Random(5);
        ProfileBuilder builder = ProfileBuilder.baseline(SCHEMA, Feature.categorical("label", List.of("no", "yes")));
        for (int i = 0; i < 1_200; i++) {
            builder.add(row(random.nextGaussian(), "pro", i % 3 == 0 ? null : random.nextDouble()), i % 2 == 0 ? "no" : "yes");
        }
        Profile profile = builder.build();
        String json = Json.write(profile);
        assertThat(Json.read(json, Profile.class)).isEqualTo(profile);
        assertThat(json).contains("\"edges\"").contains("\"outOfSet\"");
    }

    @Test
    void bad_values_are_refused_with_the_feature_named() {
        ProfileBuilder builder = ProfileBuilder.baseline(SCHEMA, null);
        assertThatThrownBy(() -> builder.add(row("forty", "pro", 1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("row.age").hasMessageContaining("forty");
        assertThatThrownBy(() -> builder.addRow(new Object[] {1}, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("needs 3 values");
    }

    @Test
    void the_fast_bin_lookup_agrees_with_binary_search_everywhere() {
        // GIVEN edges of very uneven spacing (lognormal quantiles, a huge outlier gap)
        Random random = new Random(9);
        for (int trial = 0; trial < 50; trial++) {
            double[] values = new double[2_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.exp(random.nextGaussian() * (1 + trial % 4)) * (i == 0 ? 1e6 : 1);
            }
            Arrays.sort(values);
            double[] edges = NumericColumn.deriveEdges(values, 2 + trial * 5);
            NumericColumn column = new NumericColumn("x", edges, 10, 10, 0);
            // WHEN every edge, its neighbours and random values are binned THEN both lookups agree
            for (double e : edges) {
                for (double x : new double[] {e, Math.nextUp(e), Math.nextDown(e)}) {
                    assertThat(column.bin(x)).isEqualTo(Histogram.binOf(edges, x));
                }
            }
            for (int i = 0; i < 2_000; i++) {
                double x = Math.exp(random.nextGaussian() * 3) - 0.5;
                assertThat(column.bin(x)).isEqualTo(Histogram.binOf(edges, x));
            }
        }
    }

    @Test
    void a_resolved_row_counts_exactly_as_the_same_row_by_name() {
        for (Feature prediction : List.of(Feature.numeric("score"), Feature.categorical("label", List.of("no", "yes")))) {
            // GIVEN a baseline and random rows with missing values, NaN, out-of-set plans and missing predictions
            Random random = new Random(19);
            ProfileBuilder base = ProfileBuilder.baseline(SCHEMA, prediction).optBins(12);
            for (int i = 0; i < 500; i++) {
                base.add(row(random.nextGaussian() * 10 + 40, List.of("free", "pro", "team").get(random.nextInt(3)),
                        random.nextDouble()), prediction.isNumeric() ? (Object) random.nextDouble() : "yes");
            }
            Profile baseline = base.build();
            ProfileBuilder byName = ProfileBuilder.against(baseline);
            ProfileBuilder resolved = ProfileBuilder.against(baseline);
            int plan = byName.column("plan");
            for (int i = 0; i < 3_000; i++) {
                Double age = random.nextInt(10) == 0 ? null : random.nextInt(50) == 0 ? Double.NaN : random.nextGaussian() * 12 + 41;
                String planValue = random.nextInt(10) == 0 ? null : List.of("free", "pro", "team", "other").get(random.nextInt(4));
                double spend = random.nextDouble() * 1.2;
                Object label = random.nextInt(5) == 0 ? null : prediction.isNumeric() ? (Object) random.nextDouble()
                        : (random.nextBoolean() ? "yes" : "maybe");
                // WHEN one builder takes it by name and the other resolved to column positions
                byName.add(row(age, planValue, spend), label);
                int[] categories = new int[3];
                categories[plan] = planValue == null ? ProfileBuilder.MISSING : resolved.categoryIndex(plan, planValue);
                resolved.addResolvedRow(new double[] {age == null ? Double.NaN : age, 0, spend}, categories,
                        label instanceof Double d ? d : Double.NaN, label instanceof String s ? s : null);
            }
            // THEN the two profiles are identical, out-of-set and missing counts included
            assertThat(resolved.build()).isEqualTo(byName.build());
            assertThat(resolved.build().feature("plan").orElseThrow().categorical().outOfSet()).isPositive();
        }
    }
}
