/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/ARCHITECTURE.md, checked on the compiled station (core, HMI and command line together):
 * layers, no cycles, JavaFX only in the HMI. Nothing is exempt: any dependency that breaks them fails the build.
 */
class ArchitectureTest {
    private static JavaClasses station;

    @BeforeAll
    static void importStation() {
        // the core's test jar (its helpers, on this module's test class path) is test code too, under a name that
        // ArchUnit's own option does not know
        station = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.linesight.station");
    }

    @Test
    void theRulesSeeTheCoreTheHmiAndTheCommandLine_andNoTestCode() {
        assertThat(station.contain("io.linesight.station.Station")).as("core").isTrue();
        assertThat(station.contain("io.linesight.station.hmi.HmiApp")).as("hmi").isTrue();
        assertThat(station.contain("io.linesight.station.cli.StationCli")).as("cli").isTrue();
        assertThat(station.contain("io.linesight.station.testing.Peers")).as("test helpers (core's test jar)").isFalse();
    }

    @Test
    void packagesDependOnlyDownwards_toolsOverStationOverOutletsOverPipelineOverBase() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Tools").definedBy("io.linesight.station.cli..", "io.linesight.station.chaos..",
                        "io.linesight.station.report..", "io.linesight.station.hmi..", "io.linesight.station.bench..",
                        "io.linesight.station.publish..")
                .layer("Station").definedBy("io.linesight.station")
                .layer("Outlets").definedBy("io.linesight.station.fanout..", "io.linesight.station.plc..",
                        "io.linesight.station.store..", "io.linesight.station.archive..", "io.linesight.station.stats..",
                        "io.linesight.station.alarm..", "io.linesight.station.auth..")
                .layer("Pipeline").definedBy("io.linesight.station.acquire..", "io.linesight.station.inspect..",
                        "io.linesight.station.verdict..")
                .layer("Base").definedBy("io.linesight.station.part..", "io.linesight.station.admission..",
                        "io.linesight.station.realtime..", "io.linesight.station.trigger..", "io.linesight.station.timing..",
                        "io.linesight.station.control..", "io.linesight.station.result..")
                .whereLayer("Tools").mayNotBeAccessedByAnyLayer()
                .whereLayer("Station").mayOnlyBeAccessedByLayers("Tools")
                .whereLayer("Outlets").mayOnlyBeAccessedByLayers("Tools", "Station")
                .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Tools", "Station", "Outlets")
                .check(station);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.linesight.station.(*)..").should().beFreeOfCycles().check(station);
    }

    @Test
    void onlyTheHmiUsesJavaFx_soAHeadlessStationNeverLoadsIt() {
        noClasses().that().resideOutsideOfPackages("io.linesight.station.hmi..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(station);
    }

    @Test
    void theCommandLineReachesTheHmiOnlyThroughItsPort_soItRunsWithoutTheHmisJars() {
        noClasses().that().resideOutsideOfPackages("io.linesight.station.hmi..")
                .should().dependOnClassesThat().resideInAPackage("io.linesight.station.hmi..")
                .because("the launcher finds the HMI at run time (OperatorHmi through ServiceLoader, from lib/hmi/)")
                .check(station);
    }

    @Test
    void theHmisScreensSeeTheStationOnlyThroughStationView() {
        noClasses().that().resideInAPackage("io.linesight.station.hmi..")
                .and().haveNameNotMatching("io\\.linesight\\.station\\.hmi\\.(LocalStation|HmiApp|JavaFxHmi)(\\$.*)?")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.linesight.station.Station")
                .because("LocalStation adapts a station in this process to the StationView port the screens use, "
                        + "RemoteStation one elsewhere; HmiApp and JavaFxHmi only open it")
                .check(station);
    }
}
