package io.modelcycle.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds each function's deployment package: {@code functions/<module>/target/modelcycle-<module>-lambda.zip} under the
 * repository root (what {@code mvn install} leaves there), or the same file name in one folder given instead.
 * A missing package fails synthesis with the file's path and the command that builds it, never with a half-made
 * template.
 */
public final class LambdaPackages {

    private final Path repoRoot;
    private final Optional<Path> packageDir;

    /**
     * @param repoRoot   the repository root
     * @param packageDir a folder holding every package, or empty for each module's {@code target/}
     */
    public LambdaPackages(Path repoRoot, Optional<Path> packageDir) {
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
        this.packageDir = packageDir;
    }

    /** Where {@code spec}'s package is expected, whether or not it exists. */
    public Path pathOf(FunctionSpec spec) {
        return packageDir.map(dir -> dir.resolve(spec.packageFileName()))
                .orElseGet(() -> repoRoot.resolve(spec.packagePath()));
    }

    /** The package of {@code spec}; throws {@link MissingPackageException} naming the file and how to build it. */
    public Path require(FunctionSpec spec) {
        Path zip = pathOf(spec);
        if (!Files.isRegularFile(zip)) {
            throw new MissingPackageException("The Lambda package of functions/" + spec.module() + " does not exist: "
                    + zip + ". Build it from " + repoRoot + " with: " + spec.buildCommand()
                    + " (or build everything: mvn -B install)");
        }
        return zip;
    }

    /** A function's deployment package has not been built. */
    public static final class MissingPackageException extends IllegalStateException {
        public MissingPackageException(String message) {
            super(message);
        }
    }
}
