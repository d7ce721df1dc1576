package io.modelcycle.core.artifact;

import io.modelcycle.core.ValidationException;

/**
 * Converts between artifact keys and the {@code s3://bucket/key} URIs that SageMaker and the state machines
 * pass around. The local runtime uses the same form with its own bucket name, so one code path serves both.
 */
public final class S3Uris {

    private S3Uris() {
    }

    public static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + ArtifactKeys.require(key);
    }

    /** The key of {@code uri}, which must name an object in {@code bucket}. */
    public static String key(String bucket, String uri) {
        String prefix = "s3://" + bucket + "/";
        if (uri == null || !uri.startsWith(prefix) || uri.length() == prefix.length()) {
            throw new ValidationException("uri", "'" + uri + "' is not an object in bucket '" + bucket + "' (expected " + prefix + "<key>)");
        }
        return ArtifactKeys.require(uri.substring(prefix.length()));
    }
}
