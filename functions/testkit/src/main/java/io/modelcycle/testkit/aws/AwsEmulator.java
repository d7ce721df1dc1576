package io.modelcycle.testkit.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An AWS emulator on loopback, one per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Which one, in this order:
 * <ol>
 *   <li>{@code MODELCYCLE_AWS_ENDPOINT} (environment or system property) names an emulator that is already running;</li>
 *   <li>LocalStack through Testcontainers, when a Docker engine is reachable (looked for with bounded timeouts, so a
 *       machine without Docker does not wait);</li>
 *   <li>{@code moto_server} (Python moto, server mode) on a free loopback port;</li>
 *   <li>otherwise a failure that says how to get one.</li>
 * </ol>
 * {@code MODELCYCLE_AWS_EMULATOR=moto|localstack} forces a choice.
 *
 * <p>Credentials are dummies and the region is {@value #REGION}: the emulators accept anything, and nothing here can
 * reach real AWS because every client is pointed at {@link #endpoint()}.
 */
public final class AwsEmulator {

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "testing";
    public static final String SECRET_ACCESS_KEY = "testing";

    /** How to get an emulator, said by every failure to start one. */
    static final String HOW_TO_GET_ONE = "The AWS adapter tests need an AWS emulator on loopback. Either install moto "
            + "(pip install \"moto[server]\", which puts moto_server on the PATH), or start a Docker engine so that "
            + "LocalStack can run through Testcontainers, or point MODELCYCLE_AWS_ENDPOINT at a running emulator.";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DOCKER_PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final String LOCALSTACK_IMAGE = "localstack/localstack:3.8.1";

    /*
     * moto_server's own entry point serves requests on many threads, and moto's DynamoDB applies a transaction as
     * "check every condition, then write, and on failure restore a copy of the whole table" without a lock, so two
     * transactions that overlap in time can both pass a condition or undo each other's writes. Real DynamoDB
     * serialises conflicting transactions; to emulate that faithfully we serve moto's application on one thread.
     */
    /*
     * Also, moto 5 deep-copies the table once per item of a transaction (to roll back on failure), and every copy is of
     * the same state, taken before any item is applied. On a table of a thousand items that is tens of milliseconds per
     * copy, which made the registry's concurrency test take minutes on a shared CPU. The patch below makes the copies
     * of one transaction share the first copy of each table: the same rollback state, taken once. If moto's internals
     * change, the patch is skipped and moto runs as shipped (slower, equally correct).
     */
    private static final String SINGLE_THREADED_MOTO = String.join("\n",
            "import copy, sys, types",
            "from werkzeug.serving import run_simple",
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
            "try:",
            "    import moto.dynamodb.models as ddb",
            "    state = {'copies': None}",
            "    def deepcopy(obj, memo=None):",
            "        copies = state['copies']",
            "        if copies is None or not isinstance(obj, ddb.Table):",
            "            return copy.deepcopy(obj, memo)",
            "        if id(obj) not in copies:",
            "            copies[id(obj)] = copy.deepcopy(obj, memo)",
            "        return copies[id(obj)]",
            "    original = ddb.DynamoDBBackend.transact_write_items",
            "    def transact_write_items(self, transact_items):",
            "        state['copies'] = {}",
            "        try:",
            "            return original(self, transact_items)",
            "        finally:",
            "            state['copies'] = None",
            "    ddb.copy = types.SimpleNamespace(deepcopy=deepcopy, copy=copy.copy)",
            "    ddb.DynamoDBBackend.transact_write_items = transact_write_items",
            "except Exception as e:",
            "    print('moto transaction patch skipped:', e, file=sys.stderr)",
            "run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)");

    private static final Object LOCK = new Object();
    private static volatile AwsEmulator shared;
    private static final AtomicLong NAMES = new AtomicLong();

    private final String kind;
    private final URI endpoint;
    private final AutoCloseable stopper;

    private AwsEmulator(String kind, URI endpoint, AutoCloseable stopper) {
        this.kind = kind;
        this.endpoint = endpoint;
        this.stopper = stopper;
    }

    /** The JVM's emulator, started on the first call; later calls return the same one. */
    public static AwsEmulator shared() {
        AwsEmulator current = shared;
        if (current != null) {
            return current;
        }
        synchronized (LOCK) {
            if (shared == null) {
                AwsEmulator started = start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "aws-emulator-stop"));
                shared = started;
            }
            return shared;
        }
    }

    /** Where every client must send its requests, e.g. {@code http://127.0.0.1:49213}. */
    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return REGION;
    }

    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    /** {@code moto}, {@code localstack} or {@code external}. */
    public String kind() {
        return kind;
    }

    /**
     * The environment a handler or {@code AwsConfig.fromEnv} would see when pointed at this emulator:
     * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}.
     */
    public Map<String, String> environment() {
        return Map.of("AWS_REGION", REGION, "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
    }

    /**
     * Makes the SDK's default credentials chain find the dummy credentials (through the {@code aws.accessKeyId} and
     * {@code aws.secretAccessKey} system properties, the first link of the chain), so production code that uses
     * {@code DefaultCredentialsProvider} runs unchanged in tests and never looks further (profiles, instance
     * metadata). Only tests call this.
     */
    public void useDummyCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", SECRET_ACCESS_KEY);
        System.setProperty("aws.region", REGION);
    }

    /**
     * A bucket or table name no other test in this JVM (or an earlier run against a long-lived emulator) uses:
     * {@code prefix-<millis>-<n>}, lower case, valid for S3 and DynamoDB.
     */
    public static String uniqueName(String prefix) {
        return (prefix + "-" + Long.toString(System.currentTimeMillis(), 36) + "-" + NAMES.incrementAndGet())
                .toLowerCase(Locale.ROOT);
    }

    private void stop() {
        try {
            stopper.close();
        } catch (Exception e) {
            // The JVM is exiting; a failure to stop a child process must not hide the tests' own result.
        }
    }

    @Override
    public String toString() {
        return kind + " at " + endpoint;
    }

    // ---- choosing and starting ----

    private static AwsEmulator start() {
        String external = setting("MODELCYCLE_AWS_ENDPOINT");
        if (external != null) {
            URI uri = URI.create(external);
            waitUntilAnswering(uri, Duration.ofSeconds(10), null);
            return new AwsEmulator("external", uri, () -> { });
        }
        String forced = setting("MODELCYCLE_AWS_EMULATOR");
        if ("moto".equals(forced)) {
            return startMoto();
        }
        if ("localstack".equals(forced)) {
            return startLocalStack();
        }
        if (forced != null) {
            throw new IllegalStateException("MODELCYCLE_AWS_EMULATOR is '" + forced + "'; use moto or localstack");
        }
        if (dockerReachable()) {
            return startLocalStack();
        }
        return startMoto();
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * Whether a Docker engine answers. First a cheap look for a configured host or a socket file, so a machine that
     * has no Docker at all never loads Testcontainers; then Testcontainers' own probe, on a daemon thread with a
     * deadline, because some of its strategies can block for a long time on a half-configured machine.
     */
    static boolean dockerReachable() {
        if (!dockerConfigured()) {
            return false;
        }
        FutureTask<Boolean> probe = new FutureTask<>(LocalStack::dockerAvailable);
        Thread thread = new Thread(probe, "docker-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            return probe.get(DOCKER_PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return false;
        } catch (ExecutionException | LinkageError e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean dockerConfigured() {
        if (setting("DOCKER_HOST") != null) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock"),
                Path.of(home, ".rd", "docker.sock"),
                Path.of(home, ".testcontainers.properties")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            candidates.add(Path.of(runtimeDir, "docker.sock"));
            candidates.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    private static AwsEmulator startLocalStack() {
        String image = setting("MODELCYCLE_LOCALSTACK_IMAGE");
        try {
            return LocalStack.start(image == null ? LOCALSTACK_IMAGE : image);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("LocalStack did not start through Testcontainers: " + e.getMessage()
                    + ". " + HOW_TO_GET_ONE, e);
        }
    }

    /** Kept in its own class so that Testcontainers is only loaded when Docker looks present. */
    private static final class LocalStack {
        static boolean dockerAvailable() {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        }

        static AwsEmulator start(String image) {
            var container = new org.testcontainers.containers.localstack.LocalStackContainer(
                    org.testcontainers.utility.DockerImageName.parse(image)
                            .asCompatibleSubstituteFor("localstack/localstack"))
                    .withEnv("DEFAULT_REGION", REGION)
                    .withStartupTimeout(START_TIMEOUT.multipliedBy(2));
            container.start();
            return new AwsEmulator("localstack", container.getEndpoint(), container::stop);
        }
    }

    private static AwsEmulator startMoto() {
        int port = freeLoopbackPort();
        URI uri = URI.create("http://127.0.0.1:" + port);
        Path log;
        try {
            log = Files.createTempFile("moto-server-", ".log");
            log.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a log file for moto_server", e);
        }
        // First moto's application on one thread (see SINGLE_THREADED_MOTO); if this python cannot import moto
        // (moto installed with pipx, say), the moto_server command itself.
        List<List<String>> commands = List.of(
                List.of(python(), "-c", SINGLE_THREADED_MOTO, "127.0.0.1", Integer.toString(port)),
                List.of("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port)));
        List<String> failures = new ArrayList<>();
        for (List<String> command : commands) {
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                failures.add(command.get(0) + ": " + e.getMessage());
                continue;
            }
            try {
                waitUntilAnswering(uri, START_TIMEOUT, process);
            } catch (IllegalStateException e) {
                process.destroyForcibly();
                failures.add(command.get(0) + ": " + e.getMessage() + tail(log));
                continue;
            }
            return new AwsEmulator("moto", uri, () -> {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            });
        }
        throw new IllegalStateException("No AWS emulator could be started (no Docker engine found; moto_server: "
                + String.join("; ", failures) + "). " + HOW_TO_GET_ONE);
    }

    private static String python() {
        String configured = setting("MODELCYCLE_PYTHON");
        return configured == null ? "python3" : configured;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port for the AWS emulator", e);
        }
    }

    /** Polls until the emulator answers any HTTP request, the process dies, or the deadline passes. */
    private static void waitUntilAnswering(URI uri, Duration timeout, Process process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("exited with status " + process.exitValue() + " before answering");
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status > 0) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("did not answer on " + uri + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the AWS emulator", e);
            }
        }
    }

    private static String tail(Path log) {
        try (InputStream in = Files.newInputStream(log)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            return " (output: " + (text.length() > 600 ? "…" + text.substring(text.length() - 600) : text) + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
