package io.modelcycle.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcycle.core.registry.Alias;
import io.modelcycle.core.registry.VersionStatus;
import io.modelcycle.local.runtime.LocalRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, in-process and small (600 rows, 2 epochs, a 1 s bake): every phase through the real triggers, workflows,
 * child-JVM training and HTTP gateway. The full-size demo is {@code ./modelcycle demo}.
 */
class DemoTest {

    @TempDir
    Path home;

    @Test
    void runsTheWholeLifecycleFromUploadToRetirement() throws Exception {
        // GIVEN a fresh home and a small demo
        Demo.Options options = new Demo.Options(home, "demo", 600, 8, 2, 1, 60, 7, Duration.ofMinutes(3));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // WHEN it runs
        Demo.Result result;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            result = new Demo(options, out).run();
        } catch (Demo.DemoFailedException e) {
            // what the demo printed up to the failure says where it stopped
            throw new AssertionError(e.getMessage() + "\n" + printed.toString(StandardCharsets.UTF_8), e);
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        // THEN v2 (retrained after the drift alarm) serves, v1 is retired, the audit chain holds, the report exists
        assertThat(result.production()).isEqualTo(2);
        assertThat(result.retired()).isEqualTo(1);
        assertThat(result.auditVerified()).isTrue();
        assertThat(result.auditEvents()).isGreaterThanOrEqualTo(10);
        assertThat(result.driftReport()).exists();
        assertThat(Files.readString(result.driftReport())).contains("<html").contains("x1");
        assertThat(result.phases()).hasSize(10);
        // AND what was printed shows the trigger, the trainer's epochs, the alarm and the canary, in that order
        assertThat(output).containsSubsequence(
                "rule dataset-uploaded → training-pipeline",
                "epoch=1/2",
                "production → v1",
                "POST /models/demo/predict",
                "drifted share",
                "rule drift-alarm → drift-check",
                "deployment › Bake",
                "production → v2",
                "retirement SUCCEEDED",
                "audit chain verified",
                "drift report:");
        assertThat(output).contains("alarm modelcycle-drift-demo → ALARM");
        // AND the registry agrees, seen from a fresh runtime on the same home
        try (LocalRuntime reopened = LocalRuntime.open(home)) {
            assertThat(reopened.registry().alias("demo", Alias.PRODUCTION)).map(Alias::version).contains(2);
            assertThat(reopened.registry().version("demo", 1).status()).isEqualTo(VersionStatus.RETIRED);
            assertThat(reopened.registry().version("demo", 2).lineage().trigger()).isEqualTo("drift");
        }
    }
}
