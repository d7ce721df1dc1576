package io.modelcycle.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.model.DriftMethod;
import io.modelcycle.core.model.Feature;
import io.modelcycle.core.model.FeatureSchema;
import io.modelcycle.core.model.Policies.DriftPolicy;
import io.modelcycle.core.model.Policies.DriftRule;
import io.modelcycle.core.profile.Profile;
import io.modelcycle.core.profile.ProfileBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema(List.of(
            Feature.numeric("income"), Feature.numeric("rooms"), Feature.categorical("plan", List.of("free", "pro", "team")),
            Feature.numeric("age")));

    /** Rows: income ~ N(50, 10) + shift, rooms in 1..4, plan mostly free, age ~ N(40, 8). */
    private static Profile profile(Profile against, int rows, long seed, double incomeShift, String plan,
                                   double ageMissing) {
        Random random = new Random(seed);
        ProfileBuilder builder = against == null
                ? ProfileBuilder.baseline(SCHEMA, Feature.categorical("label", List.of("no", "yes")))
                : ProfileBuilder.against(against);
        for (int i = 0; i < rows; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("income", 50 + incomeShift + random.nextGaussian() * 10);
            row.put("rooms", 1 + random.nextInt(4));
            row.put("plan", plan != null ? plan : (random.nextDouble() < 0.7 ? "free" : "pro"));
            row.put("age", random.nextDouble() < ageMissing ? null : 40 + random.nextGaussian() * 8);
            builder.add(row, random.nextDouble() < (incomeShift > 0 ? 0.6 : 0.2) ? "yes" : "no");
        }
        return builder.build();
    }

    private static FeatureDrift feature(DriftReport report, String name) {
        return report.features().stream().filter(f -> f.feature().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void defaults_pick_tests_for_small_samples_and_distances_for_large_ones() {
        // GIVEN a baseline of 5000 rows, and current windows of 800 and of 5000 rows without drift
        Profile baseline = profile(null, 5_000, 1, 0, null, 0);
        DriftDetector detector = new DriftDetector(DriftPolicy.DEFAULT);

        // WHEN each is checked with the default policy
        DriftReport small = detector.detect(baseline, profile(baseline, 800, 2, 0, null, 0));
        DriftReport large = detector.detect(baseline, profile(baseline, 5_000, 3, 0, null, 0));

        // THEN numeric features with many values get KS then Wasserstein; few-valued and categorical ones get
        // chi-squared then Jensen-Shannon, each with the threshold; and nothing drifts
        assertThat(feature(small, "income").method()).isEqualTo(DriftMethod.KS);
        assertThat(feature(small, "income").threshold()).isEqualTo(0.05);
        assertThat(feature(small, "rooms").method()).isEqualTo(DriftMethod.CHI_SQUARED);
        assertThat(feature(small, "plan").method()).isEqualTo(DriftMethod.CHI_SQUARED);
        assertThat(feature(large, "income").method()).isEqualTo(DriftMethod.WASSERSTEIN);
        assertThat(feature(large, "income").threshold()).isEqualTo(0.1);
        assertThat(feature(large, "rooms").method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(feature(large, "plan").method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(small.datasetDrift()).isFalse();
        assertThat(large.datasetDrift()).isFalse();
        assertThat(large.driftedFeatures()).isZero();
        assertThat(large.rowsChecked()).isEqualTo(5_000);
        assertThat(large.prediction().method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(large.predictionDrift()).isFalse();
    }

    @Test
    void shifted_features_drift_and_make_the_dataset_drift_at_half_the_features() {
        // GIVEN a current window where income moved by one standard deviation and every plan became "team"
        Profile baseline = profile(null, 5_000, 1, 0, null, 0);
        Profile current = profile(baseline, 4_000, 4, 10, "team", 0);

        // WHEN checked
        DriftReport report = new DriftDetector(DriftPolicy.DEFAULT).detect(baseline, current);

        // THEN income and plan drift (2 of 4 features = 0.5 >= 0.5), and so do the predictions
        assertThat(feature(report, "income").drifted()).isTrue();
        assertThat(feature(report, "income").statistic()).isBetween(0.8, 1.2);
        assertThat(feature(report, "plan").drifted()).isTrue();
        assertThat(feature(report, "rooms").drifted()).isFalse();
        assertThat(report.driftedFeatures()).isEqualTo(2);
        assertThat(report.driftedShare()).isEqualTo(0.5);
        assertThat(report.datasetDrift()).isTrue();
        assertThat(report.predictionDrift()).isTrue();

        // AND a stricter share in the policy keeps the dataset verdict negative
        DriftReport strict = new DriftDetector(new DriftPolicy(0.75, null, null, null)).detect(baseline, current);
        assertThat(strict.datasetDrift()).isFalse();
    }

    @Test
    void a_rising_missing_share_is_drift_even_when_the_values_look_alike() {
        Profile baseline = profile(null, 3_000, 1, 0, null, 0.01);
        Profile current = profile(baseline, 3_000, 5, 0, null, 0.3);
        FeatureDrift age = feature(new DriftDetector(DriftPolicy.DEFAULT).detect(baseline, current), "age");
        assertThat(age.statisticDrifted()).isFalse();
        assertThat(age.missingDrifted()).isTrue();
        assertThat(age.drifted()).isTrue();
        assertThat(age.currentMissingShare()).isBetween(0.25, 0.35);

        FeatureDrift lenient = feature(new DriftDetector(new DriftPolicy(null, 0.5, null, null)).detect(baseline, current), "age");
        assertThat(lenient.drifted()).isFalse();
    }

    @Test
    void the_policy_overrides_method_and_threshold_per_feature_and_for_predictions() {
        Profile baseline = profile(null, 5_000, 1, 0, null, 0);
        Profile current = profile(baseline, 5_000, 6, 2, null, 0);
        DriftPolicy policy = new DriftPolicy(null, null, Map.of(
                "income", new DriftRule(DriftMethod.PSI, 0.01),
                "plan", new DriftRule(DriftMethod.CHI_SQUARED, 1e-9)), 0.5);

        DriftReport report = new DriftDetector(policy).detect(baseline, current);

        FeatureDrift income = feature(report, "income");
        assertThat(income.method()).isEqualTo(DriftMethod.PSI);
        assertThat(income.threshold()).isEqualTo(0.01);
        assertThat(income.drifted()).isEqualTo(income.statistic() >= 0.01);
        assertThat(feature(report, "plan").method()).isEqualTo(DriftMethod.CHI_SQUARED);
        assertThat(feature(report, "plan").pValue()).isNotNull();
        assertThat(report.prediction().threshold()).isEqualTo(0.5);
        assertThat(report.predictionDrift()).isFalse();
    }

    @Test
    void impossible_policies_are_refused_with_the_feature_named() {
        Profile baseline = profile(null, 500, 1, 0, null, 0);
        Profile current = profile(baseline, 500, 2, 0, null, 0);
        Function<DriftPolicy, DriftReport> detect = p -> new DriftDetector(p).detect(baseline, current);
        assertThatThrownBy(() -> detect.apply(new DriftPolicy(null, null, Map.of("plan", new DriftRule(DriftMethod.KS, null)), null)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("plan").hasMessageContaining("categorical");
        assertThatThrownBy(() -> detect.apply(new DriftPolicy(null, null, Map.of("zip", new DriftRule(DriftMethod.PSI, null)), null)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("zip");
    }

    @Test
    void a_feature_with_no_current_values_is_judged_by_its_missing_share_and_the_report_round_trips_through_json() {
        Profile baseline = profile(null, 1_000, 1, 0, null, 0);
        Profile current = profile(baseline, 300, 2, 0, null, 1.0);
        DriftReport report = new DriftDetector(DriftPolicy.DEFAULT).detect(baseline, current);
        FeatureDrift age = feature(report, "age");
        assertThat(age.statistic()).isNull();
        assertThat(age.note()).contains("current window has no values");
        assertThat(age.drifted()).isTrue();
        assertThat(Json.read(Json.write(report), DriftReport.class)).isEqualTo(report);
    }
}
