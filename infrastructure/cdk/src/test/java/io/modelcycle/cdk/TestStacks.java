package io.modelcycle.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the stack for the tests, once per configuration per JVM (synthesis costs seconds). The default
 * configuration is written to {@code target/cdk.out}, which the build then checks with cfn-lint; variants go to
 * {@code target/cdk-variants/<name>} and are linted too.
 *
 * <p>Lambda packages: system property {@code modelcycle.cdk.placeholders} = {@code none} uses only the real packages
 * (and fails when one is missing, as a full build must), {@code missing} (the default) uses each real package that
 * exists and a placeholder zip, with a warning, for one that does not, {@code all} uses placeholders only.
 */
final class TestStacks {

    static final Path REPO_ROOT = Path.of(System.getProperty(ModelCycleApp.REPO_ROOT_PROPERTY, "../..")).toAbsolutePath().normalize();
    static final Path OUTDIR = Path.of(System.getProperty(ModelCycleApp.OUTDIR_PROPERTY, "target/cdk.out")).toAbsolutePath();
    static final Path TARGET = OUTDIR.getParent();
    static final List<String> MODELS = List.of("churn", "fraud");
    static final String DISABLE_STAGING = "aws:cdk:disable-asset-staging";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Synthesized> CACHE = new HashMap<>();

    /** One synthesized stack: the construct, its template for Template/Match, and the same template as JSON. */
    record Synthesized(ModelCycleStack stack, Path outdir, Template template, JsonNode json) {
        JsonNode resources() {
            return json.get("Resources");
        }
    }

    private TestStacks() {
    }

    static StackConfig defaultConfig() {
        return new StackConfig(Optional.empty(), Optional.empty(), MODELS, Optional.empty(),
                StackConfig.DEFAULT_IMAGE_REPOSITORY, StackConfig.DEFAULT_INSTANCE_TYPE, PredictAuthorization.IAM, true,
                REPO_ROOT, packageDir());
    }

    /** The default stack (models churn and fraud, IAM on predict, deletion protection on), in target/cdk.out. */
    static synchronized Synthesized defaults() {
        return CACHE.computeIfAbsent("default", k -> synthesize(defaultConfig(), OUTDIR, true));
    }

    /** A variant of the default configuration, in target/cdk-variants/{name}. */
    static synchronized Synthesized variant(String name, UnaryOperator<StackConfig> change) {
        return CACHE.computeIfAbsent(name, k -> synthesize(change.apply(defaultConfig()),
                TARGET.resolve("cdk-variants").resolve(name), false));
    }

    /**
     * @param stageAssets false to reference the Lambda packages and the image context where they are instead of
     *                    copying them into the outdir (CDK's {@value #DISABLE_STAGING}): variants only need their
     *                    templates, and the real packages weigh tens of MB each
     */
    static Synthesized synthesize(StackConfig config, Path outdir, boolean stageAssets) {
        deleteRecursively(outdir);
        AppProps.Builder props = AppProps.builder().outdir(outdir.toString());
        if (!stageAssets) {
            props.context(Map.of(DISABLE_STAGING, true));
        }
        App app = new App(props.build());
        ModelCycleStack stack = ModelCycleApp.build(app, config);
        app.synth();
        Path templateFile = outdir.resolve(ModelCycleApp.STACK_NAME + ".template.json");
        try {
            String json = Files.readString(templateFile);
            return new Synthesized(stack, outdir, Template.fromString(json), MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of Lambda packages the tests use, per the placeholders mode; empty means each module's target/. */
    static synchronized Optional<Path> packageDir() {
        String mode = System.getProperty("modelcycle.cdk.placeholders", "missing");
        if (mode.equals("none")) {
            return Optional.empty();
        }
        if (!mode.equals("missing") && !mode.equals("all")) {
            throw new IllegalArgumentException("modelcycle.cdk.placeholders must be none, missing or all, got '" + mode + "'");
        }
        Path dir = TARGET.resolve("test-lambda-packages");
        try {
            Files.createDirectories(dir);
            for (FunctionSpec spec : FunctionSpec.values()) {
                Path real = REPO_ROOT.resolve(spec.packagePath());
                Path used = dir.resolve(spec.packageFileName());
                Files.deleteIfExists(used);
                if (mode.equals("missing") && Files.isRegularFile(real)) {
                    try {
                        Files.createLink(used, real);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(real, used);
                    }
                } else {
                    System.err.println("WARNING: template tests use a placeholder for " + spec.packagePath()
                            + (mode.equals("all") ? "" : " (not built yet: " + spec.buildCommand() + ")"));
                    writePlaceholder(used, spec);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(dir);
    }

    static void writePlaceholder(Path zip, FunctionSpec spec) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("PLACEHOLDER.txt"));
            z.write(("placeholder package of " + spec.module() + ", for template tests only\n")
                    .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
