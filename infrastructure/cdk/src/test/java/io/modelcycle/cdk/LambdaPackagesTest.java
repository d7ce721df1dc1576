package io.modelcycle.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/** Synthesis takes every package from the one table, and a missing package stops it with what to build. */
class LambdaPackagesTest {

    @Test
    void packagesAreTakenFromEachModulesTargetFolder() {
        LambdaPackages packages = new LambdaPackages(TestStacks.REPO_ROOT, Optional.empty());
        assertThat(packages.pathOf(FunctionSpec.INFERENCE)).isEqualTo(TestStacks.REPO_ROOT
                .resolve("functions/inference/target/modelcycle-inference-lambda.zip"));
    }

    @Test
    void aMissingPackageNamesTheFileAndTheCommandThatBuildsIt(@TempDir Path empty) {
        LambdaPackages packages = new LambdaPackages(TestStacks.REPO_ROOT, Optional.of(empty));
        assertThatThrownBy(() -> packages.require(FunctionSpec.MONITORING))
                .isInstanceOf(LambdaPackages.MissingPackageException.class)
                .hasMessageContaining(empty.resolve("modelcycle-monitoring-lambda.zip").toString())
                .hasMessageContaining("mvn -B -pl functions/monitoring -am package -DskipTests");
    }

    @Test
    void synthesisStopsWhenOnePackageIsMissing(@TempDir Path dir) throws IOException {
        // GIVEN every package but retirement's
        for (FunctionSpec spec : FunctionSpec.values()) {
            if (spec != FunctionSpec.RETIREMENT) {
                TestStacks.writePlaceholder(dir.resolve(spec.packageFileName()), spec);
            }
        }
        StackConfig config = TestStacks.defaultConfig();
        StackConfig partial = new StackConfig(config.account(), config.region(), config.models(),
                config.trainingImageTag(), config.trainingImageRepository(), config.trainingInstanceType(),
                config.predictAuthorization(), config.tableDeletionProtection(), config.repoRoot(), Optional.of(dir));
        // WHEN the stack is built THEN it stops, naming the missing file
        assertThatThrownBy(() -> ModelCycleApp.build(new App(), partial))
                .hasMessageContaining("modelcycle-retirement-lambda.zip")
                .hasMessageContaining("functions/retirement");
    }
}
