/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.report.ReportData;
import io.linesight.station.report.ReportFormat;
import io.linesight.station.report.StoreLocation;
import io.linesight.station.store.ResultsStore;
import io.linesight.station.store.SpoolBacklog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code station report}: a shift or day report from the results store, with what the image archive stored and did
 * not (by reason), and what the station's spool holds that is not in the database yet.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print a report (yield, Pareto, top reasons, latency, downtime, per recipe) for a time range.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "the station's data folder (results.db)")
    Path dataDir;

    @Option(names = "--config", paramLabel = "STATION_YAML", description = "the station's configuration (its database)")
    Path config;

    @Option(names = "--from", paramLabel = "TIME", description = "start: 2025-03-03T06:00:00Z, 2025-03-03T06:00 (local) or 2025-03-03 (default: 24 h before --to)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive, same forms (default: now)")
    String to;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, csv or html (default: ${DEFAULT-VALUE})")
    ReportFormat format;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        Instant end;
        Instant start;
        try {
            end = to == null ? Instant.now() : time(to, "--to");
            start = from == null ? end.minus(Duration.ofHours(24)) : time(from, "--from");
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        if (!start.isBefore(end)) {
            out.println("error: --from " + start + " is not before --to " + end);
            return 2;
        }
        StoreLocation where;
        try {
            where = StoreLocation.of(config, dataDir);
        } catch (IOException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        try (ResultsStore store = where.open()) {
            // what the station's spool still holds is said beside the figures, which do not include it
            out.print(format.render(ReportData.collect(store.queries(), start, end)
                    .withSpool(SpoolBacklog.of(where.dataDir()))));
            out.flush();
            return 0;
        } catch (IOException | SQLException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    static Instant time(String s, String option) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // not an instant: try local forms below
        }
        try {
            return LocalDateTime.parse(s).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": rejected '" + s
                    + "', use 2025-03-03T06:00:00Z, 2025-03-03T06:00 (local time) or 2025-03-03");
        }
    }
}
