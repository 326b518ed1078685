/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.control.CommandException;
import io.linesight.station.auth.AuditException;
import io.linesight.station.auth.Role;
import io.linesight.station.auth.Session;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.ResultQueries;
import io.linesight.station.store.ResultsStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

/**
 * The shift in numbers, from the results store's queries (not the in-memory counters, so it survives restarts):
 * defect Pareto by reason and by detected class, and yield per hour since the shift started (local midnight, or the
 * last shift reset). The shift reset (engineer or admin, audited) zeroes the station's counters and starts a new
 * window. Queries run on {@code background}.
 */
public final class StatisticsScreen {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneId.systemDefault());
    private final BorderPane root = new BorderPane();
    private final BarChart<String, Number> pareto = chart("Rejects by reason / class");
    private final BarChart<String, Number> yield = chart("Yield % per hour");
    private final Label status = new Label();
    private final StationView station;
    private final Session session;
    private final ExecutorService background;
    private Instant shiftStart = LocalDate.now().atStartOfDay(ZoneId.systemDefault()).toInstant();
    private volatile boolean loading;

    public StatisticsScreen(StationView station, Session session, ExecutorService background) {
        this.station = station;
        this.session = session;
        this.background = background;
        root.getStyleClass().add("statistics");
        Button reset = new Button("Shift reset");
        reset.getStyleClass().add("big-button");
        reset.setOnAction(e -> resetShift());
        HBox top = new HBox(16, reset, status);
        top.getStyleClass().add("stats-top");
        root.setTop(top);
        root.setCenter(new HBox(pareto, yield));
    }

    private static BarChart<String, Number> chart(String title) {
        BarChart<String, Number> c = new BarChart<>(new CategoryAxis(), new NumberAxis());
        c.setTitle(title);
        c.setLegendVisible(false);
        c.setAnimated(false);
        c.setPrefWidth(620);
        return c;
    }

    /** Data read in the background. */
    record Data(List<ResultQueries.Count> reasons, List<ResultQueries.Count> classes, List<ResultQueries.HourYield> hours) {
    }

    /** Re-queries the store unless a query is still running; returns the future the screen is drawn from. */
    public CompletableFuture<Data> refresh() {
        if (loading) {
            return CompletableFuture.completedFuture(null);
        }
        ResultsStore store = station.store();
        if (store == null) {
            status.setText("No statistics: this remote HMI has no results database (start it with --store JDBC-URL)");
            return CompletableFuture.completedFuture(null);
        }
        loading = true;
        Instant from = shiftStart;
        return CompletableFuture.supplyAsync(() -> {
            try {
                ResultQueries q = store.queries();
                Instant to = Instant.now().plusSeconds(1);
                return new Data(q.paretoByReason(from, to), q.paretoByClass(from, to), q.yieldByHour(from, to));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("results store: " + e.getMessage(), e);
            }
        }, background).whenComplete((d, e) -> Platform.runLater(() -> {
            loading = false;
            if (e != null) {
                status.setText(e.getMessage());
            } else {
                draw(d);
            }
        }));
    }

    private void draw(Data d) {
        XYChart.Series<String, Number> p = new XYChart.Series<>();
        d.reasons().forEach(c -> p.getData().add(new XYChart.Data<>(c.key(), c.count())));
        d.classes().forEach(c -> p.getData().add(new XYChart.Data<>("class " + c.key(), c.count())));
        pareto.getData().setAll(List.of(p));
        XYChart.Series<String, Number> y = new XYChart.Series<>();
        d.hours().forEach(h -> y.getData().add(new XYChart.Data<>(HOUR.format(h.hour()), 100.0 * h.yield())));
        yield.getData().setAll(List.of(y));
        long parts = d.hours().stream().mapToLong(ResultQueries.HourYield::parts).sum();
        status.setText("shift since " + DateTimeFormatter.ISO_LOCAL_TIME.withZone(ZoneOffset.systemDefault())
                .format(shiftStart).substring(0, 8) + ": " + parts + " parts stored");
    }

    /** Starts a new shift: engineer or admin only; audited with the counters before. Returns whether it did. */
    public boolean resetShift() {
        if (!session.can(Role.ENGINEER)) {
            status.setText("Shift reset needs an engineer or admin login");
            return false;
        }
        StationStats.Snapshot s = station.stats();
        Instant before = shiftStart;
        Instant next = Instant.now();
        try {
            session.audit().record(session.who(), "shift-reset", "counters",
                    "since " + before + ": parts " + s.parts() + ", pass " + s.passed() + ", reject " + s.rejected(),
                    "since " + next);
        } catch (AuditException e) {
            status.setText("Shift not reset: " + e.getMessage());
            return false;
        }
        try {
            station.resetCounters(); // remote: waits for the station's reply (a second at most on a healthy link)
        } catch (CommandException e) {
            status.setText("Shift reset refused by the station: " + e.getMessage());
            return false;
        }
        shiftStart = next;
        refresh();
        return true;
    }

    public int paretoBars() {
        return pareto.getData().isEmpty() ? 0 : pareto.getData().getFirst().getData().size();
    }

    public String status() {
        return status.getText();
    }

    public Node view() {
        return root;
    }
}
