package io.modelcycle.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The one factory of AWS SDK clients. Each client is built on first use and then kept: building one costs
 * class loading and endpoint resolution that belong in Lambda's INIT phase (or the SnapStart snapshot), not in
 * every request. All clients share one {@link UrlConnectionHttpClient} (small and quick to start, which is what a
 * Lambda function wants), the region from {@link AwsConfig}, and the SDK's default credentials chain.
 *
 * <p>Credentials come from {@link DefaultCredentialsProvider} and never from
 * {@code EnvironmentVariableCredentialsProvider} alone: under SnapStart the restored function receives its
 * credentials through the container credentials endpoint, not through environment variables captured before the
 * snapshot. Tests put dummy credentials where the default chain looks first (system properties).
 *
 * <p>When the configuration has an endpoint, every client is sent there (an emulator), and S3 uses path-style
 * addressing because emulators on loopback cannot serve virtual-hosted bucket names.
 *
 * <p>Adding a client is one method: {@code public FooClient foo() { return foo.get(); }} with
 * {@code foo = lazy(() -> configure(FooClient.builder()).build())}. Thread-safe.
 */
public final class AwsClients implements AutoCloseable {

    private final AwsConfig config;
    private final AwsCredentialsProvider credentials;
    private final Lazy<SdkHttpClient> http;
    private final List<Lazy<? extends AutoCloseable>> built = new ArrayList<>();

    private final Lazy<S3Client> s3;
    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<SageMakerClient> sageMaker;
    private final Lazy<CloudWatchClient> cloudWatch;

    public AwsClients(AwsConfig config) {
        this(config, DefaultCredentialsProvider.builder().build());
    }

    /** With an explicit credentials provider; production code uses {@link #AwsClients(AwsConfig)}. */
    public AwsClients(AwsConfig config, AwsCredentialsProvider credentials) {
        this.config = Objects.requireNonNull(config, "config");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = lazy(() -> UrlConnectionHttpClient.builder().build());
        this.s3 = lazy(() -> configure(S3Client.builder())
                .forcePathStyle(config.endpoint().isPresent())
                .build());
        this.dynamoDb = lazy(() -> configure(DynamoDbClient.builder()).build());
        this.sageMaker = lazy(() -> configure(SageMakerClient.builder()).build());
        this.cloudWatch = lazy(() -> configure(CloudWatchClient.builder()).build());
    }

    /** Clients for the environment of this process ({@code AWS_REGION}, optional {@code AWS_ENDPOINT_URL}). */
    public static AwsClients fromEnv() {
        return new AwsClients(AwsConfig.fromEnv(System.getenv()));
    }

    public AwsConfig config() {
        return config;
    }

    public S3Client s3() {
        return s3.get();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    public SageMakerClient sageMaker() {
        return sageMaker.get();
    }

    public CloudWatchClient cloudWatch() {
        return cloudWatch.get();
    }

    /**
     * Applies what every client shares: HTTP client, region, credentials, endpoint override. Public so that a
     * service client added in another package is configured exactly the same way.
     */
    public <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C extends SdkClient>
            B configure(B builder) {
        builder.httpClient(http.get())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials);
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    /** A client built on first {@link Lazy#get()} and closed with this factory. */
    public <T extends AutoCloseable> Lazy<T> lazy(Supplier<T> factory) {
        Lazy<T> lazy = new Lazy<>(factory);
        synchronized (built) {
            built.add(lazy);
        }
        return lazy;
    }

    /** Closes every client built so far, then the shared HTTP client. */
    @Override
    public void close() {
        List<Lazy<? extends AutoCloseable>> all;
        synchronized (built) {
            all = new ArrayList<>(built);
        }
        // The HTTP client was registered first; close it last.
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).closeIfBuilt();
        }
    }

    /** A value built once, on first use, by whichever thread asks first. */
    public static final class Lazy<T extends AutoCloseable> {
        private final Supplier<T> factory;
        private volatile T value;

        private Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        public T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = Objects.requireNonNull(factory.get(), "client factory returned null");
                        value = current;
                    }
                }
            }
            return current;
        }

        private synchronized void closeIfBuilt() {
            if (value != null) {
                try {
                    value.close();
                } catch (Exception e) {
                    // Closing releases connections; a failure leaves nothing to recover.
                }
                value = null;
            }
        }
    }
}
