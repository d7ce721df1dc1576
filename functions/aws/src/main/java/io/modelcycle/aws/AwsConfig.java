package io.modelcycle.aws;

import io.modelcycle.core.ValidationException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach AWS, read once from the environment.
 *
 * @param region   from {@code AWS_REGION} (Lambda always sets it), required
 * @param endpoint from {@code AWS_ENDPOINT_URL}, optional: every client is sent there instead of AWS, which is how
 *                 tests and the local runtime talk to an emulator; absent in production
 */
public record AwsConfig(String region, Optional<URI> endpoint) {

    public static final String REGION = "AWS_REGION";
    public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";

    public AwsConfig {
        if (region == null || region.isBlank()) {
            throw new ValidationException(REGION, "is required: the AWS region, e.g. us-east-1");
        }
        endpoint = endpoint == null ? Optional.empty() : endpoint;
        endpoint.ifPresent(uri -> {
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ValidationException(ENDPOINT_URL, "must be an http(s) URL such as http://127.0.0.1:4566, got '"
                        + uri + "'");
            }
        });
    }

    /**
     * Reads {@code AWS_REGION} (required) and {@code AWS_ENDPOINT_URL} (optional) from {@code env}; fails naming the
     * variable that is missing or malformed. Handlers pass {@code System.getenv()}, tests a map.
     */
    public static AwsConfig fromEnv(Map<String, String> env) {
        String region = env.get(REGION);
        if (region == null || region.isBlank()) {
            throw new ValidationException(REGION, "environment variable " + REGION
                    + " is not set: it names the AWS region, e.g. us-east-1");
        }
        String endpoint = env.get(ENDPOINT_URL);
        URI uri = null;
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                uri = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new ValidationException(ENDPOINT_URL, "environment variable " + ENDPOINT_URL + " is not a URL: '"
                        + endpoint + "'");
            }
        }
        return new AwsConfig(region.trim(), Optional.ofNullable(uri));
    }

    public static AwsConfig of(String region) {
        return new AwsConfig(region, Optional.empty());
    }

    public static AwsConfig of(String region, URI endpoint) {
        return new AwsConfig(region, Optional.of(endpoint));
    }
}
