/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code station} — the one launcher: run, demo, check recipes, and the engineer's tools. */
@Command(name = "station", mixinStandardHelpOptions = true, versionProvider = StationCli.Version.class,
        description = "Linesight inline defect inspection station.",
        subcommands = {DemoCommand.class, RunCommand.class, CheckRecipeCommand.class, DetectCommand.class,
            EvalCommand.class, LearnGoodCommand.class, EvalAnomalyCommand.class, TeachCommand.class,
            CamerasCommand.class, PlcSimCommand.class, ReportCommand.class,
            ArchiveCommand.class, ExportDatasetCommand.class, HmiCommand.class, ChaosCommand.class,
            BenchCommand.class})
public final class StationCli implements Runnable {

    public static void main(String[] args) {
        // HiveMQ and Tahu jars carry a logback.xml of their own; which one wins depends on class path order, so the
        // station names its own configuration (overridable with -Dlogback.configurationFile) before any logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "linesight-logback.xml");
        }
        int code = new CommandLine(new StationCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Version from the jar manifest (the Maven project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StationCli.class.getPackage().getImplementationVersion();
            return new String[] {"linesight " + (v == null ? "dev" : v)};
        }
    }
}
