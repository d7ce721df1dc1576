package io.modelcycle.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcycle.core.Json;
import io.modelcycle.core.model.DriftMethod;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Policies.DriftPolicy;
import io.modelcycle.core.model.Policies.DriftRule;
import io.modelcycle.core.profile.NumericProfile;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every statistic against the values scipy computed on the same generated data ({@code scripts/drift_reference.py}
 * wrote {@code drift/reference.json}): within 1e-6 where the method is exact, within its own reported error bound
 * where it works on bins.
 */
class DriftReferenceTest {

    private static final double EXACT = 1e-6;
    private static final JsonNode REFERENCE = load();

    private static JsonNode load() {
        try (InputStream in = DriftReferenceTest.class.getResourceAsStream("/drift/reference.json")) {
            return Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("drift/reference.json is missing; run scripts/drift_reference.py", e);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    private static Profile profile(double[] values, Profile against) {
        ProfileBuilder builder = against == null
                ? ProfileBuilder.baseline(new FeatureSchema(List.of(Feature.numeric("x"))), null)
                : ProfileBuilder.against(against);
        for (double v : values) {
            builder.addRow(new double[] {v}, Double.NaN);
        }
        return builder.build();
    }

    private static DriftReport detect(Profile baseline, Profile current, DriftMethod method) {
        DriftPolicy policy = method == null ? DriftPolicy.DEFAULT
                : new DriftPolicy(null, null, Map.of("x", new DriftRule(method, null)), null);
        return new DriftDetector(policy).detect(baseline, current);
    }

    private static List<DynamicTest> each(String section, java.util.function.Consumer<JsonNode> check) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : REFERENCE.get(section)) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check.accept(c)));
        }
        assertThat(tests).isNotEmpty();
        return tests;
    }

    @TestFactory
    List<DynamicTest> ks_and_wasserstein_on_samples_match_scipy_exactly() {
        return each("samples", c -> {
            // GIVEN two samples; WHEN compared; THEN statistic and p-value are scipy's ks_2samp(method="auto")
            double[] a = doubles(c.get("a"));
            double[] b = doubles(c.get("b"));
            Measurement ks = DriftStatistics.ks(a, b);
            assertThat(ks.value()).isCloseTo(c.get("ksStatistic").asDouble(), within(EXACT));
            assertThat(ks.pValue()).isCloseTo(c.get("ksPValue").asDouble(), within(EXACT));
            assertThat(ks.exact()).isTrue();
            assertThat(DriftStatistics.wasserstein(a, b)).isCloseTo(c.get("wasserstein").asDouble(), within(EXACT));
        });
    }

    @TestFactory
    List<DynamicTest> the_detector_on_small_samples_picks_ks_and_matches_scipy() {
        return each("samples", c -> {
            // GIVEN profiles of at most 1000 values, which keep their exact samples
            Profile baseline = profile(doubles(c.get("a")), null);
            Profile current = profile(doubles(c.get("b")), baseline);

            // WHEN the default policy judges them, and again with Wasserstein forced
            FeatureDrift byDefault = detect(baseline, current, null).features().get(0);
            FeatureDrift wasserstein = detect(baseline, current, DriftMethod.WASSERSTEIN).features().get(0);

            // THEN KS is chosen and both agree with scipy exactly
            assertThat(byDefault.method()).isEqualTo(DriftMethod.KS);
            assertThat(byDefault.statistic()).isCloseTo(c.get("ksStatistic").asDouble(), within(EXACT));
            assertThat(byDefault.pValue()).isCloseTo(c.get("ksPValue").asDouble(), within(EXACT));
            assertThat(byDefault.drifted()).isEqualTo(c.get("ksPValue").asDouble() < 0.05);
            assertThat(wasserstein.statistic()).isCloseTo(c.get("normalisedWasserstein").asDouble(), within(EXACT));
            assertThat(wasserstein.errorBound()).isZero();
        });
    }

    @TestFactory
    List<DynamicTest> chi_squared_jensen_shannon_and_psi_on_counts_match_scipy_exactly() {
        return each("cells", c -> {
            long[] base = longs(c.get("baseline"));
            long[] cur = longs(c.get("current"));
            Measurement chi = DriftStatistics.chiSquared(base, cur);
            assertThat(chi.value()).isCloseTo(c.get("chiSquared").asDouble(), within(EXACT * Math.max(1, chi.value())));
            assertThat(chi.pValue()).isCloseTo(c.get("chiSquaredPValue").asDouble(), within(EXACT));
            assertThat(DriftStatistics.jensenShannon(base, cur)).isCloseTo(c.get("jensenShannon").asDouble(), within(EXACT));
            assertThat(DriftStatistics.psi(base, cur)).isCloseTo(c.get("psi").asDouble(), within(EXACT));
        });
    }

    @TestFactory
    List<DynamicTest> binned_statistics_stay_within_their_stated_bounds_of_scipy_on_the_raw_data() {
        return each("binned", c -> {
            // GIVEN a baseline profile and a current profile too large to keep their samples
            Profile baseline = profile(doubles(c.get("baseline")), null);
            Profile current = profile(doubles(c.get("current")), baseline);
            NumericProfile b = baseline.features().get(0).numeric();
            NumericProfile cur = current.features().get(0).numeric();
            assertThat(b.sample()).isNull();
            assertThat(cur.sample()).isNull();
            // the edges and counts are the ones numpy derives with the same rule
            assertThat(b.histogram().edgeArray()).containsExactly(doubles(c.get("edges")));
            assertThat(b.histogram().countArray()).containsExactly(longs(c.get("baselineCounts")));
            assertThat(cur.histogram().countArray()).containsExactly(longs(c.get("currentCounts")));

            // WHEN KS and Wasserstein are computed on the bins
            Measurement ks = DriftStatistics.ksBinned(b.histogram().countArray(), cur.histogram().countArray());
            FeatureDrift wasserstein = detect(baseline, current, null).features().get(0);

            // THEN scipy's KS statistic lies in [value, value + bound], its p-value between the p-values of those
            // ends, and the bound is below the largest bin share (200 bins: about 1/200 on the baseline's side)
            double scipyD = c.get("ksStatistic").asDouble();
            assertThat(scipyD).isBetween(ks.value() - 1e-12, ks.value() + ks.errorBound() + 1e-12);
            assertThat(ks.errorBound()).isLessThan(0.02);
            long n1 = b.count();
            long n2 = cur.count();
            double pHigh = DriftStatistics.ksPValue(ks.value(), n1, n2);
            double pLow = DriftStatistics.ksPValue(ks.value() + ks.errorBound(), n1, n2);
            assertThat(c.get("ksPValue").asDouble()).isBetween(pLow - 1e-5, pHigh + 1e-5);
            assertThat(wasserstein.method()).isEqualTo(DriftMethod.WASSERSTEIN);
            double scipyW = c.get("normalisedWasserstein").asDouble();
            assertThat(Math.abs(wasserstein.statistic() - scipyW)).isLessThanOrEqualTo(wasserstein.errorBound() + 1e-9);
            // the Wasserstein bound (in baseline standard deviations) stays below half the default threshold even
            // when the current data reach far past the baseline's range, where the outer bins are wide
            assertThat(wasserstein.errorBound()).isLessThan(DriftDetector.DEFAULT_WASSERSTEIN / 2);

            // AND PSI and Jensen-Shannon over the 10 equal-mass cells are exact
            assertThat(detect(baseline, current, DriftMethod.PSI).features().get(0).statistic())
                    .isCloseTo(c.get("coarsePsi").asDouble(), within(EXACT));
            assertThat(detect(baseline, current, DriftMethod.JENSEN_SHANNON).features().get(0).statistic())
                    .isCloseTo(c.get("coarseJensenShannon").asDouble(), within(EXACT));
        });
    }

    @Test
    void the_asymptotic_ks_distribution_matches_scipys_kstwo() {
        for (JsonNode row : REFERENCE.get("kolmogorov")) {
            long n = row.get("n").asLong();
            double tolerance = n >= 500 ? 2e-7 : 1e-5;
            assertThat(DriftStatistics.kolmogorovSf(n, row.get("x").asDouble()))
                    .as("kstwo.sf(%s, %s)", row.get("x"), n)
                    .isCloseTo(row.get("sf").asDouble(), within(tolerance));
        }
    }
}
