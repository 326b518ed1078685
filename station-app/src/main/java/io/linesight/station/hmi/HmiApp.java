/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.Station;
import io.linesight.station.stats.StationStats;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator HMI of a running station: Production, Rejects and Diagnostics screens behind big navigation buttons.
 *
 * <p>It never slows the pipeline: results reach it only through {@link HmiFeed} (latest wins, on the viewer-dispatch
 * thread), and an {@link AnimationTimer} on the FX thread reads that state at most {@link #MAX_FPS} times a second,
 * together with the station's read-only getters (stats, health, broker link).
 *
 * <p>Started inside a running program with {@link #open}, which starts the JavaFX toolkit on its own thread; the
 * toolkit stays up when the window closes, so a later {@code open} in the same JVM works.
 */
public final class HmiApp extends Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HmiApp.class);
    static final int MAX_FPS = 30;
    private static final long OPEN_TIMEOUT_S = 15;
    private static final AtomicBoolean toolkitStarted = new AtomicBoolean();

    private final Station station;
    private final HmiFeed feed = new HmiFeed();
    private final AlarmWatch alarmWatch = new AlarmWatch();
    private final ProductionScreen production = new ProductionScreen();
    private final RejectsScreen rejects = new RejectsScreen();
    private final DiagnosticsScreen diagnostics = new DiagnosticsScreen();
    private final Map<String, Node> screens = new LinkedHashMap<>();
    private final Map<String, ToggleButton> navButtons = new LinkedHashMap<>();
    private final BorderPane root = new BorderPane();
    private final Runnable onClosed;
    private @Nullable Stage stage;
    private @Nullable AnimationTimer timer;
    private String current = "Production";
    private long lastRefresh;
    private long lastDiagnostics;

    private HmiApp(Station station, Runnable onClosed) {
        this.station = station;
        this.onClosed = onClosed;
    }

    /** Whether a display is there to open a window on (an X or Wayland display and not java.awt.headless). */
    public static boolean displayAvailable() {
        String display = System.getenv("DISPLAY");
        String wayland = System.getenv("WAYLAND_DISPLAY");
        boolean any = display != null && !display.isBlank() || wayland != null && !wayland.isBlank();
        return any && !Boolean.getBoolean("java.awt.headless");
    }

    /**
     * Starts the JavaFX toolkit on its own thread, once per JVM; blocks until it runs. Call it before anything loads
     * OpenCV: OpenCV's native library pulls in GTK 2, and JavaFX (GTK 3) cannot start in a process that has GTK 2
     * loaded already. The toolkit stays up when windows close.
     *
     * @throws IllegalStateException when it cannot start here (no display, GTK missing or GTK 2 loaded first)
     */
    public static synchronized void startToolkit() {
        if (toolkitStarted.get()) {
            return;
        }
        CompletableFuture<Void> up = new CompletableFuture<>();
        try {
            Platform.setImplicitExit(false);
            Platform.startup(() -> up.complete(null));
            up.get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
            toolkitStarted.set(true);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("JavaFX did not start within " + OPEN_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting JavaFX", e);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("JavaFX could not start: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the HMI on a running station (starting the toolkit if needed); blocks until the window is shown.
     *
     * @param onClosed run (on the FX thread) when the operator closes the window
     * @throws IllegalStateException when the JavaFX toolkit cannot start or the window does not open in time
     */
    public static HmiApp open(Station station, Runnable onClosed) {
        startToolkit();
        CompletableFuture<HmiApp> shown = new CompletableFuture<>();
        // controls may only be built once the toolkit runs, so the whole app is built on the FX thread
        Platform.runLater(() -> {
            try {
                HmiApp app = new HmiApp(station, onClosed);
                app.start(new Stage());
                shown.complete(app);
            } catch (RuntimeException e) {
                shown.completeExceptionally(e);
            }
        });
        try {
            return shown.get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("HMI did not open: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("HMI did not open within " + OPEN_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the HMI", e);
        }
    }

    @Override
    public void start(Stage primary) {
        stage = primary;
        screens.put("Production", production.view());
        screens.put("Rejects", rejects.view());
        screens.put("Diagnostics", diagnostics.view());
        HBox nav = new HBox();
        nav.getStyleClass().add("nav");
        ToggleGroup group = new ToggleGroup();
        screens.keySet().forEach(name -> {
            ToggleButton b = new ToggleButton(name);
            b.getStyleClass().add("big-button");
            b.setToggleGroup(group);
            b.setSelected(name.equals(current));
            // a toggle group lets a second tap deselect; the screen stays, so the button stays selected
            b.setOnAction(e -> {
                b.setSelected(true);
                show(name);
            });
            nav.getChildren().add(b);
            navButtons.put(name, b);
        });
        root.getStyleClass().add("hmi");
        root.setBottom(nav);
        root.setCenter(screens.get(current));
        Scene scene = new Scene(root, 1280, 800);
        scene.getStylesheets().add(Objects.requireNonNull(HmiApp.class.getResource("/hmi/hmi.css")).toExternalForm());
        primary.setTitle("Linesight — " + station.config().line() + "/" + station.config().station());
        primary.setScene(scene);
        primary.setOnHidden(e -> {
            stopTimer();
            station.results().removeListener(feed);
            onClosed.run();
        });
        station.results().addListener(feed);
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (now - lastRefresh >= 1_000_000_000L / MAX_FPS) {
                    lastRefresh = now;
                    refresh(now);
                }
            }
        };
        timer.start();
        refresh(System.nanoTime());
        primary.show();
    }

    /** Switches screens. FX thread. */
    void show(String name) {
        current = name;
        root.setCenter(screens.get(name));
        navButtons.forEach((n, b) -> b.setSelected(n.equals(name)));
        lastDiagnostics = 0;
        refresh(System.nanoTime());
    }

    private void refresh(long now) {
        HmiState state = feed.state();
        switch (current) {
            case "Production" -> {
                StationStats.Snapshot s = station.stats().snapshot();
                List<String> alarms = alarmWatch.check(station.brokerConnected(), station.devices().health(), s.timeouts(), now);
                production.update(state, s, alarms, station.recipe().label());
            }
            case "Rejects" -> rejects.update(state);
            default -> {
                if (now - lastDiagnostics > 500_000_000L) {
                    lastDiagnostics = now;
                    diagnostics.update(station, state.last());
                }
            }
        }
    }

    /** Runs {@code action} on the FX thread and returns its result; for tests and the screenshot. */
    public <T> T onFx(Supplier<T> action) {
        if (Platform.isFxApplicationThread()) {
            return action.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(action.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("FX action failed: " + e, e);
        }
    }

    /** Shows a screen, brings it up to date and writes a PNG of the whole window. Not on the FX thread. */
    public void screenshot(String screen, Path png) throws IOException {
        try {
            Thread.sleep(300); // the last result reaches the feed within one viewer-dispatch park (≤ 50 ms)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted before the screenshot", e);
        }
        WritableImage img = onFx(() -> {
            show(screen);
            root.applyCss();
            root.layout();
            return root.getScene().snapshot(null);
        });
        BufferedImage bi = SwingFXUtils.fromFXImage(img, null);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(bi, "png", png.toFile())) {
            throw new IOException("no PNG writer for " + png);
        }
        log.atInfo().setMessage("HMI screenshot written").addKeyValue("screen", screen).addKeyValue("file", png).log();
    }

    public HmiFeed feed() {
        return feed;
    }

    public ProductionScreen production() {
        return production;
    }

    public RejectsScreen rejects() {
        return rejects;
    }

    public DiagnosticsScreen diagnostics() {
        return diagnostics;
    }

    private void stopTimer() {
        if (timer != null) {
            timer.stop();
        }
    }

    /** Closes the window; the station keeps running. Any thread. */
    @Override
    public void close() {
        station.results().removeListener(feed);
        onFx(() -> {
            stopTimer();
            if (stage != null) {
                stage.hide();
            }
            return null;
        });
    }
}
