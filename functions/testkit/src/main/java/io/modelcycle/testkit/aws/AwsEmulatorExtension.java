package io.modelcycle.testkit.aws;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that makes the JVM's {@link AwsEmulator} available to a test class: it starts the emulator
 * before the class's first test (once per JVM, shared by every class), points the SDK's default credentials chain at
 * dummy credentials, and injects the emulator into constructors, lifecycle methods and tests that declare an
 * {@link AwsEmulator} parameter.
 *
 * <pre>{@code
 * @ExtendWith(AwsEmulatorExtension.class)
 * class S3ArtifactStoreTest {
 *     @BeforeAll
 *     static void bucket(AwsEmulator aws) { ... aws.endpoint() ... }
 * }
 *
 * // or, when a static field is handier:
 * @RegisterExtension
 * static final AwsEmulatorExtension AWS = new AwsEmulatorExtension();
 * ... AWS.emulator().endpoint() ...
 * }</pre>
 *
 * <p>When no emulator can be started, the class fails (it is not skipped) with a message saying how to get one: a
 * skipped adapter test would let a broken adapter pass the build.
 */
public final class AwsEmulatorExtension implements BeforeAllCallback, ParameterResolver {

    /** The JVM's emulator, started if need be, with dummy credentials in place. */
    public AwsEmulator emulator() {
        AwsEmulator emulator = AwsEmulator.shared();
        emulator.useDummyCredentials();
        return emulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AwsEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return emulator();
    }
}
