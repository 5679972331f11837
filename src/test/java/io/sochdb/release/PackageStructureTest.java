package io.sochdb.release;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * One package per concern only helps while the concerns stay apart: a cycle makes two packages one concern in
 * fact. The run model sits at the bottom and knows nothing of Camel, so it can be read, built and tested alone.
 */
class PackageStructureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sochdb.release");
    }

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        slices().matching("io.sochdb.release.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheEntryPointAndTheWiringDependOnTheTopPackage() {
        // Application and the two configuration classes build everything; nothing they build may reach back to them.
        noClasses().that().resideOutsideOfPackage("io.sochdb.release")
                .should().dependOnClassesThat().resideInAPackage("io.sochdb.release")
                .check(classes);
    }

    @Test
    void theRunModelAndTheFailuresKnowNothingOfCamelOrOfTheSteps() {
        noClasses().that().resideInAnyPackage("io.sochdb.release.run..", "io.sochdb.release.failure..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.sochdb.release.pipeline..",
                        "io.sochdb.release.service..", "io.sochdb.release.github..", "io.sochdb.release.pypi..")
                .check(classes);
    }
}
