package io.modelcycle.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the domain portable: core must run the same on Lambda, in a SageMaker container and on a laptop. */
class CoreArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.modelcycle.core");

    @Test
    void core_imports_nothing_of_aws_djl_or_lambda() {
        noClasses().that().resideInAPackage("io.modelcycle.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "software.amazon..", "com.amazonaws..", "ai.djl..", "org.crac..")
                .because("core is the domain; adapters translate vendor types into it")
                .check(core);
    }

    @Test
    void core_does_not_depend_on_adapters_or_stages() {
        noClasses().that().resideInAPackage("io.modelcycle.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages(
                        "io.modelcycle.core..", "java..", "javax..", "com.fasterxml.jackson..", "org.apache.commons.math3..",
                        "com.tdunning..")
                .because("dependencies point inward: stage handlers -> core <- adapters")
                .check(core);
    }
}
