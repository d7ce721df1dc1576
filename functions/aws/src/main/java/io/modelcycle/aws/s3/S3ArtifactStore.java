package io.modelcycle.aws.s3;

import io.modelcycle.aws.AwsErrors;
import io.modelcycle.core.Hashing;
import io.modelcycle.core.IntegrityException;
import io.modelcycle.core.NotFoundException;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.artifact.ArtifactKeys;
import io.modelcycle.core.artifact.ArtifactStore;
import io.modelcycle.core.artifact.StoredObject;
import io.modelcycle.core.artifact.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@link ArtifactStore} on one S3 bucket, optionally under a key prefix. Each object carries its SHA-256 and length
 * as user metadata ({@code x-amz-meta-sha256}, {@code x-amz-meta-size}), recorded when it is written and checked on
 * every read by {@link VerifyingInputStream}; every write asks for server-side encryption (SSE-S3, AES256). The
 * object's URI is {@code s3://bucket/prefix+key}.
 *
 * <p><b>Writing without holding the content.</b> Content up to {@link #PART_SIZE} bytes is one PutObject with its
 * metadata. Larger content streams as a multipart upload in parts of {@link #PART_SIZE} bytes (one part in memory at
 * a time) while the SHA-256 is computed over the same bytes. S3 takes user metadata when an upload starts, before the
 * hash is known, so the parts go to a staging key under {@value #STAGING} and, once complete, a server-side
 * CopyObject with {@code MetadataDirective=REPLACE} writes the final key with the hash, then the staging object is
 * deleted. We chose this over hashing into a temporary file first because Lambda's {@code /tmp} is small and reading
 * the content twice from disk costs more than one copy inside S3; and over copying the final key onto itself because
 * then a reader could see, for a moment, the new bytes without their hash. The copy makes the final key change in one
 * step, so a reader sees the old object or the new one, never a part. An upload that dies half-way leaves a staging
 * object or an incomplete multipart upload behind; the bucket's lifecycle rules (in the CDK app) expire both.
 * A single CopyObject is limited to 5 GiB, so larger artifacts are refused.
 *
 * <p>Objects written by other tools (without the metadata) are listed with a null SHA-256 and refused when opened,
 * with an {@link IntegrityException} saying why: an unverifiable artifact must not be served.
 *
 * <p>Errors: NoSuchKey → {@link NotFoundException}; throttling, 5xx and network failures →
 * {@link io.modelcycle.core.TransientException}; anything else → {@link io.modelcycle.core.StoreException}.
 */
public final class S3ArtifactStore implements ArtifactStore {

    /** Bytes per multipart part and the largest content written in one PutObject. */
    public static final int PART_SIZE = 8 * 1024 * 1024;
    /** Where multipart uploads are assembled before their final copy; {@link #list} never shows it. */
    public static final String STAGING = ".modelcycle-staging/";
    static final String SHA256_METADATA = "sha256";
    static final String SIZE_METADATA = "size";
    private static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /**
     * @param s3     from {@code AwsClients.s3()}
     * @param bucket the bucket, which must exist
     * @param prefix prepended to every key, {@code ""} or a key ending in {@code /}
     */
    public S3ArtifactStore(S3Client s3, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (bucket == null || bucket.isBlank()) {
            throw new ValidationException("bucket", "an S3 bucket name is required");
        }
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        if (!this.prefix.isEmpty()) {
            if (!this.prefix.endsWith("/")) {
                throw new ValidationException("prefix", "a key prefix must end with '/', got '" + prefix + "'");
            }
            ArtifactKeys.require(this.prefix.substring(0, this.prefix.length() - 1));
        }
    }

    public S3ArtifactStore(S3Client s3, String bucket) {
        this(s3, bucket, "");
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        ArtifactKeys.require(key);
        Objects.requireNonNull(content, "content");
        String s3Key = prefix + key;
        MessageDigest digest = Hashing.sha256();
        byte[] buffer = new byte[PART_SIZE];
        int first = fill(content, buffer, key);
        digest.update(buffer, 0, first);
        try {
            if (first < PART_SIZE) {
                String sha256 = Hashing.hex(digest);
                s3.putObject(b -> b.bucket(bucket).key(s3Key).contentType(CONTENT_TYPE)
                                .serverSideEncryption(ServerSideEncryption.AES256)
                                .metadata(metadata(sha256, first)),
                        body(buffer, first));
                return written(key, sha256, first);
            }
            return putMultipart(key, content, buffer, first, digest);
        } catch (UncheckedIOException e) {
            throw e; // the caller's content failed, not the store
        } catch (RuntimeException e) {
            throw AwsErrors.translate("writing " + uri(key), e);
        }
    }

    private StoredObject putMultipart(String key, InputStream content, byte[] buffer, int first, MessageDigest digest) {
        String staging = prefix + STAGING + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(staging).contentType(CONTENT_TYPE)
                .serverSideEncryption(ServerSideEncryption.AES256)).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            int length = first;
            while (length > 0) {
                int partNumber = parts.size() + 1;
                long partLength = length;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(staging).uploadId(uploadId)
                        .partNumber(partNumber).contentLength(partLength), body(buffer, length)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                size += length;
                if (size > MAX_COPY_SIZE) {
                    throw new ValidationException("content", "artifact '" + key + "' is larger than 5 GiB, the "
                            + "largest object this store can record a hash for in one copy");
                }
                length = fill(content, buffer, key);
                digest.update(buffer, 0, length);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(staging).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            completed = true;
            String sha256 = Hashing.hex(digest);
            long total = size;
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(staging)
                    .destinationBucket(bucket).destinationKey(prefix + key)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata(sha256, total))
                    .contentType(CONTENT_TYPE).serverSideEncryption(ServerSideEncryption.AES256));
            return written(key, sha256, total);
        } finally {
            cleanUp(staging, uploadId, completed);
        }
    }

    /** Best effort: a leftover is expired by the bucket's lifecycle rules, and must not hide the real outcome. */
    private void cleanUp(String staging, String uploadId, boolean completed) {
        try {
            if (completed) {
                s3.deleteObject(b -> b.bucket(bucket).key(staging));
            } else {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(staging).uploadId(uploadId));
            }
        } catch (RuntimeException e) {
            // left for the lifecycle rule
        }
    }

    /** Reads until {@code buffer} is full or the stream ends; returns the count (0 at the end). */
    private static int fill(InputStream content, byte[] buffer, String key) {
        try {
            int n = content.readNBytes(buffer, 0, buffer.length);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the content to store under '" + key + "'", e);
        }
    }

    /** A body the SDK may read more than once (to compute its checksum) without copying the buffer. */
    private static RequestBody body(byte[] buffer, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, CONTENT_TYPE);
    }

    private static Map<String, String> metadata(String sha256, long size) {
        return Map.of(SHA256_METADATA, sha256, SIZE_METADATA, Long.toString(size));
    }

    private StoredObject written(String key, String sha256, long size) {
        Instant lastModified = stat(key)
                .filter(o -> sha256.equals(o.sha256()))
                .map(StoredObject::lastModified)
                .orElseGet(Instant::now); // overwritten meanwhile: our write still happened, now is close enough
        return new StoredObject(key, sha256, size, lastModified);
    }

    @Override
    public InputStream open(String key) {
        ArtifactKeys.require(key);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (NoSuchKeyException e) {
            throw notFound(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw notFound(key);
            }
            throw AwsErrors.translate("reading " + uri(key), e);
        } catch (RuntimeException e) {
            throw AwsErrors.translate("reading " + uri(key), e);
        }
        GetObjectResponse response = in.response();
        String sha256 = response.metadata().get(SHA256_METADATA);
        Long size = parseSize(response.metadata().get(SIZE_METADATA));
        if (!Hashing.isSha256Hex(sha256) || size == null) {
            in.abort();
            throw new IntegrityException("artifact '" + key + "' at " + uri(key) + " has no recorded SHA-256 and "
                    + "size (x-amz-meta-sha256, x-amz-meta-size): it was not written through the artifact store, "
                    + "so it cannot be verified");
        }
        return new VerifyingInputStream(in, key, sha256, size);
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        ArtifactKeys.require(key);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(prefix + key));
            return Optional.of(describe(key, head));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw AwsErrors.translate("reading the metadata of " + uri(key), e);
        } catch (RuntimeException e) {
            throw AwsErrors.translate("reading the metadata of " + uri(key), e);
        }
    }

    /**
     * Reads a foreign object (uploaded with {@code aws s3 cp}, say) while hashing it, then records the hash with a
     * server-side copy onto itself that applies only if the object still has the ETag that was read, so a concurrent
     * overwrite is never labelled with the old bytes' hash.
     */
    @Override
    public StoredObject adopt(String key) {
        StoredObject current = stat(key).orElseThrow(() -> notFound(key));
        if (current.sha256() != null) {
            return current;
        }
        MessageDigest digest = Hashing.sha256();
        long size = 0;
        String etag;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(prefix + key))) {
            etag = in.response().eTag();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                size += n;
            }
        } catch (NoSuchKeyException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw new io.modelcycle.core.TransientException("reading " + uri(key) + " to record its hash failed", e);
        } catch (RuntimeException e) {
            throw AwsErrors.translate("reading " + uri(key), e);
        }
        if (size > MAX_COPY_SIZE) {
            throw new ValidationException("key", "artifact '" + key + "' is larger than 5 GiB, the largest object this "
                    + "store can record a hash for in one copy");
        }
        String sha256 = Hashing.hex(digest);
        long total = size;
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(prefix + key).copySourceIfMatch(etag)
                    .destinationBucket(bucket).destinationKey(prefix + key)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata(sha256, total))
                    .serverSideEncryption(ServerSideEncryption.AES256));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new io.modelcycle.core.ConcurrentUpdateException("artifact '" + key + "' changed while its hash "
                        + "was being recorded; adopt it again", e);
            }
            throw AwsErrors.translate("recording the hash of " + uri(key), e);
        } catch (RuntimeException e) {
            throw AwsErrors.translate("recording the hash of " + uri(key), e);
        }
        return written(key, sha256, total);
    }

    @Override
    public List<StoredObject> list(String keyPrefix) {
        String wanted = keyPrefix == null ? "" : keyPrefix;
        if (!wanted.isEmpty()) {
            // A prefix is a key, or a key with a trailing '/'.
            ArtifactKeys.require(wanted.endsWith("/") ? wanted.substring(0, wanted.length() - 1) : wanted);
        }
        List<StoredObject> result = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + wanted)).contents()) {
                String key = object.key().substring(prefix.length());
                if (key.startsWith(STAGING)) {
                    continue;
                }
                // Listings do not carry user metadata; the hash is only on the object itself.
                stat(key).ifPresent(result::add);
            }
        } catch (RuntimeException e) {
            throw AwsErrors.translate("listing " + location(wanted), e);
        }
        return result;
    }

    @Override
    public void delete(String key) {
        ArtifactKeys.require(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (RuntimeException e) {
            throw AwsErrors.translate("deleting " + uri(key), e);
        }
    }

    @Override
    public String uri(String key) {
        return location(ArtifactKeys.require(key));
    }

    /** The URI of a key already validated, or of a listing prefix (for messages). */
    private String location(String key) {
        return "s3://" + bucket + "/" + prefix + key;
    }

    private StoredObject describe(String key, HeadObjectResponse head) {
        String sha256 = head.metadata().get(SHA256_METADATA);
        Long size = parseSize(head.metadata().get(SIZE_METADATA));
        return new StoredObject(key, Hashing.isSha256Hex(sha256) ? sha256 : null,
                size == null ? head.contentLength() : size, head.lastModified());
    }

    private static Long parseSize(String value) {
        if (value == null) {
            return null;
        }
        try {
            long size = Long.parseLong(value);
            return size < 0 ? null : size;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private NotFoundException notFound(String key) {
        return new NotFoundException("artifact '" + key + "' does not exist (" + uri(key) + ")");
    }
}
