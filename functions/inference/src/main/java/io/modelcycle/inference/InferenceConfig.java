package io.modelcycle.inference;

import io.modelcycle.core.Hashing;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.model.Model;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The inference stage's own configuration, read once from the environment (Lambda's INIT phase) by
 * {@link #fromEnv}, which names the variable that is missing or malformed. The registry table, the artifact bucket and
 * the AWS settings are read by {@link io.modelcycle.aws.stage.AwsStage.Config}.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th></th><th>meaning</th></tr>
 *   <tr><td>{@code MODEL_NAME}</td><td>optional</td><td>the model whose production version is loaded and run
 *       before the SnapStart snapshot</td></tr>
 *   <tr><td>{@code PYTORCH_NATIVE_KEY}</td><td>optional</td><td>artifact key of the PyTorch native archive, e.g.
 *       {@code runtime/pytorch-native-cpu-2.7.1-linux-x86_64.jar}; without it the natives must be on the class path</td></tr>
 *   <tr><td>{@code PYTORCH_NATIVE_SHA256}</td><td>with the key</td><td>its pinned SHA-256 (lower-case hex)</td></tr>
 *   <tr><td>{@code ROUTES_TTL_MS}</td><td>optional</td><td>how long aliases are cached, default 5000</td></tr>
 *   <tr><td>{@code MAX_BODY_BYTES}</td><td>optional</td><td>largest request body, default 1048576</td></tr>
 *   <tr><td>{@code WORK_DIR}</td><td>optional</td><td>scratch space, default {@code /tmp/modelcycle}</td></tr>
 *   <tr><td>{@code POWERTOOLS_METRICS_NAMESPACE}</td><td>optional</td><td>namespace of the per-route HTTP metric,
 *       default {@code ModelCycle}</td></tr>
 * </table>
 *
 * @param primeModel     the model primed before the snapshot, if any
 * @param nativeKey      the PyTorch native archive's key, if the natives come from the artifact store
 * @param nativeSha256   its pinned SHA-256, present exactly when the key is
 * @param routesTtl      alias cache time to live
 * @param maxBodyBytes   largest accepted body
 * @param workDir        scratch space
 * @param httpNamespace  namespace of the HTTP request metric
 */
public record InferenceConfig(Optional<String> primeModel, Optional<String> nativeKey, Optional<String> nativeSha256,
                              Duration routesTtl, int maxBodyBytes, Path workDir, String httpNamespace) {

    public static final String MODEL_NAME = "MODEL_NAME";
    public static final String PYTORCH_NATIVE_KEY = "PYTORCH_NATIVE_KEY";
    public static final String PYTORCH_NATIVE_SHA256 = "PYTORCH_NATIVE_SHA256";
    public static final String ROUTES_TTL_MS = "ROUTES_TTL_MS";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String WORK_DIR = "WORK_DIR";
    public static final String METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
    /** 1 MiB: 1000 rows of a few dozen features fit; Lambda itself accepts 6 MB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public InferenceConfig {
        primeModel.ifPresent(Model::requireName);
        if (nativeKey.isPresent() != nativeSha256.isPresent()) {
            throw new ValidationException(nativeKey.isPresent() ? PYTORCH_NATIVE_SHA256 : PYTORCH_NATIVE_KEY,
                    PYTORCH_NATIVE_KEY + " and " + PYTORCH_NATIVE_SHA256 + " go together: the archive is only used when its "
                            + "pinned SHA-256 is known");
        }
        nativeKey.ifPresent(ArtifactKeys::require);
        if (nativeSha256.isPresent() && !Hashing.isSha256Hex(nativeSha256.get())) {
            throw new ValidationException(PYTORCH_NATIVE_SHA256, "must be 64 lower-case hex digits");
        }
        if (routesTtl.isNegative()) {
            throw new ValidationException(ROUTES_TTL_MS, "must be >= 0");
        }
        if (maxBodyBytes < 1) {
            throw new ValidationException(MAX_BODY_BYTES, "must be >= 1, got " + maxBodyBytes);
        }
    }

    /** Reads the configuration from {@code env}: the handler passes {@code System.getenv()}, tests a map. */
    public static InferenceConfig fromEnv(Map<String, String> env) {
        return new InferenceConfig(optional(env, MODEL_NAME), optional(env, PYTORCH_NATIVE_KEY),
                optional(env, PYTORCH_NATIVE_SHA256),
                Duration.ofMillis(number(env, ROUTES_TTL_MS, InferenceService.Settings.DEFAULT_ROUTES_TTL_MILLIS)),
                (int) number(env, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                Path.of(optional(env, WORK_DIR).orElse("/tmp/modelcycle")),
                optional(env, METRICS_NAMESPACE).orElse("ModelCycle"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.get());
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ValidationException(name, "environment variable " + name + " must be a non-negative whole number, got '"
                    + value.get() + "'");
        }
    }
}
