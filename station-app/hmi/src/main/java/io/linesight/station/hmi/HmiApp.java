/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.Station;
import io.linesight.station.alarm.AlarmBook;
import io.linesight.station.auth.AuditException;
import io.linesight.station.auth.AuditLog;
import io.linesight.station.auth.Role;
import io.linesight.station.auth.Session;
import io.linesight.station.auth.UserStore;
import io.linesight.station.store.ResultsStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.InputEvent;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.stage.StageStyle;
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
 * thread), and a {@link RefreshTicker} has the FX thread read that state at most {@link #MAX_FPS} times a second,
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

    private final StationView station;
    private final HmiFeed feed = new HmiFeed();
    /** Acknowledgements (database work) off the FX thread, never behind a long preview. */
    private final ExecutorService ackThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hmi-ack");
        t.setDaemon(true);
        return t;
    });
    private final ProductionScreen production = new ProductionScreen();
    private final RejectsScreen rejects = new RejectsScreen();
    private final DiagnosticsScreen diagnostics = new DiagnosticsScreen();
    private final HmiOptions options;
    private final Session session;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hmi-background");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY); // previews and queries must not compete with inspection
        return t;
    });
    private final RecipesScreen recipes;
    private final StatisticsScreen statistics;
    private final LoginPane login;
    private final UsersScreen usersScreen;
    /** The random first admin PIN when this HMI created the users file: shown once, on the screen only. */
    private @Nullable String firstAdminPin;
    private final StackPane layers = new StackPane();
    private final Button loginButton = new Button();
    private boolean closing;
    private final Map<String, Node> screens = new LinkedHashMap<>();
    private final Map<String, ToggleButton> navButtons = new LinkedHashMap<>();
    private final BorderPane root = new BorderPane();
    private final Runnable onClosed;
    private @Nullable Stage stage;
    private @Nullable RefreshTicker timer;
    private String current = "Production";
    private long lastDiagnostics;

    private HmiApp(StationView station, Runnable onClosed, HmiOptions options, Path usersDir) throws IOException {
        this.station = station;
        this.onClosed = onClosed;
        this.options = options;
        ResultsStore store = station.store();
        AuditLog audit = store != null ? new AuditLog(store, Clock.systemUTC())
                : AuditLog.unavailable("this HMI has no results store (start it with --store)", Clock.systemUTC());
        UserStore users = UserStore.open(usersDir, options.adminPin(), options.minPinLength());
        this.firstAdminPin = users.takeFirstAdminPin();
        this.session = new Session(users, audit, Clock.systemUTC(), options.idle());
        this.usersScreen = new UsersScreen(session);
        this.recipes = new RecipesScreen(station, session, background);
        this.statistics = new StatisticsScreen(station, session, background);
        this.login = new LoginPane(session, this::closeLogin, station, background);
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
            // the FX thread's kernel id is only known on it: lowered from there, with the renderer threads
            Platform.runLater(() -> log.atInfo().setMessage(DisplayPriority.lowerToolkitThreads()).log());
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
        return open(station, onClosed, HmiOptions.defaults());
    }

    /** As {@link #open(Station, Runnable)}, with options (kiosk mode, idle log-out, first admin PIN). */
    public static HmiApp open(Station station, Runnable onClosed, HmiOptions options) {
        LocalStation view = new LocalStation(station);
        try {
            return open(view, onClosed, options, station.dataDir());
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /**
     * Opens the HMI on any view of a station (in this process, or remote through the broker); the HMI closes the
     * view when its window closes.
     *
     * @param usersDir where the HMI's users file is (created with the first admin when missing)
     */
    public static HmiApp open(StationView station, Runnable onClosed, HmiOptions options, Path usersDir) {
        startToolkit();
        CompletableFuture<HmiApp> shown = new CompletableFuture<>();
        // controls may only be built once the toolkit runs, so the whole app is built on the FX thread
        Platform.runLater(() -> {
            try {
                HmiApp app = new HmiApp(station, onClosed, options, usersDir);
                app.start(new Stage());
                shown.complete(app);
            } catch (RuntimeException | IOException e) {
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
        screens.put("Statistics", statistics.view());
        screens.put("Recipes", recipes.view());
        screens.put("Diagnostics", diagnostics.view());
        screens.put("Users", usersScreen.view());
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
        loginButton.getStyleClass().addAll("big-button", "login-button");
        loginButton.setOnAction(e -> {
            if (session.role() == Role.OPERATOR) {
                openLogin("");
            } else {
                session.logout("button");
                station.logOut();
                show("Production");
            }
        });
        nav.getChildren().add(loginButton);
        if (options.kiosk()) {
            Button exit = new Button("Exit");
            exit.getStyleClass().add("big-button");
            exit.setOnAction(e -> exitKiosk());
            nav.getChildren().add(exit);
        }
        root.getStyleClass().add("hmi");
        root.setBottom(nav);
        root.setCenter(screens.get(current));
        layers.getChildren().add(root);
        Scene scene = new Scene(layers, 1280, 800);
        scene.addEventFilter(InputEvent.ANY, e -> session.touch());
        scene.getStylesheets().add(Objects.requireNonNull(HmiApp.class.getResource("/hmi/hmi.css")).toExternalForm());
        primary.setTitle("Linesight — " + station.line() + "/" + station.station()
                + (station.local() == null ? " (remote)" : ""));
        primary.setScene(scene);
        if (options.kiosk()) {
            primary.initStyle(StageStyle.UNDECORATED);
            primary.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
            primary.setFullScreenExitHint("");
            primary.setFullScreen(true);
            primary.setOnCloseRequest(e -> {
                if (!closing) {
                    e.consume(); // kiosk: only an admin leaves (exitKiosk)
                    exitKiosk();
                }
            });
        }
        primary.setOnHidden(e -> {
            stopTimer();
            station.detach(feed);
            station.close();
            onClosed.run();
        });
        station.attach(feed);
        production.alarms().onAck(this::acknowledgeAlarms);
        timer = new RefreshTicker(options.refreshHz(), Platform::runLater, this::tick);
        refresh(System.nanoTime());
        primary.show();
        String pin = firstAdminPin;
        firstAdminPin = null;
        if (pin != null) {
            showFirstAdminPin(pin);
        }
    }

    /**
     * The first admin's PIN, on the screen once (never in a log or a file): whoever installs the station notes it and
     * changes it. Dismissed with its OK button.
     */
    private void showFirstAdminPin(String pin) {
        Label text = new Label("First start: the user 'admin' has the PIN " + pin + "\n"
                + "Note it now; it is not shown again. Log in as admin and change it on the Users screen.");
        text.getStyleClass().add("login-message");
        text.setWrapText(true);
        Button ok = new Button("OK");
        ok.getStyleClass().add("big-button");
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(20, text, ok);
        box.getStyleClass().add("login");
        box.setAlignment(javafx.geometry.Pos.CENTER);
        firstPinView = box;
        ok.setOnAction(e -> {
            layers.getChildren().remove(box);
            firstPinView = null;
        });
        layers.getChildren().add(box);
    }

    private @Nullable Node firstPinView;

    /** The first-start PIN notice's text while it is shown, else null. FX thread. */
    @Nullable String firstAdminPinNotice() {
        return firstPinView == null ? null
                : ((Label) ((javafx.scene.layout.VBox) firstPinView).getChildren().get(0)).getText();
    }

    /** Dismisses the first-start PIN notice. FX thread. */
    void dismissFirstAdminPin() {
        if (firstPinView != null) {
            layers.getChildren().remove(firstPinView);
            firstPinView = null;
        }
    }

    /** Switches screens; a screen the role may not see opens the login instead. Returns whether it switched. FX thread. */
    boolean show(String name) {
        Role needed = needs(name);
        if (!session.can(needed)) {
            openLogin(name + " needs an " + needed.name().toLowerCase(java.util.Locale.ROOT) + " login");
            navButtons.forEach((n, b) -> b.setSelected(n.equals(current)));
            return false;
        }
        boolean entering = !name.equals(current); // re-showing must not throw away values being typed
        current = name;
        if (entering && name.equals("Recipes")) {
            recipes.reload();
        } else if (entering && name.equals("Users")) {
            usersScreen.reload();
        } else if (entering && name.equals("Statistics")) {
            statistics.refresh();
        }
        root.setCenter(screens.get(name));
        navButtons.forEach((n, b) -> b.setSelected(n.equals(name)));
        lastDiagnostics = 0;
        refresh(System.nanoTime());
        return true;
    }

    static Role needs(String screen) {
        return switch (screen) {
            case "Recipes" -> Role.ENGINEER;
            // any logged-in user changes their own PIN there; adding and removing users asks for an admin
            case "Users" -> Role.ENGINEER;
            default -> Role.OPERATOR;
        };
    }

    private void openLogin(String why) {
        login.reset();
        if (!why.isBlank()) {
            login.note(why);
        }
        if (!layers.getChildren().contains(login.view())) {
            layers.getChildren().add(login.view());
        }
    }

    private void closeLogin() {
        layers.getChildren().remove(login.view());
        if (closing) {
            return;
        }
        boolean exit = options.kiosk() && exitRequested && session.can(Role.ADMIN);
        exitRequested = false; // a cancelled or non-admin login must not leave a pending exit for the next admin
        if (exit) {
            exitKiosk();
        }
    }

    private boolean exitRequested;

    /** Kiosk exit: an admin logged in closes the window; anyone else is asked for an admin PIN. */
    void exitKiosk() {
        if (session.can(Role.ADMIN)) {
            try {
                session.audit().record(session.who(), "kiosk-exit", "hmi", null, null);
            } catch (AuditException e) {
                openLogin("Kiosk exit not possible: " + e.getMessage());
                return;
            }
            closing = true;
            if (stage != null) {
                stage.hide();
            }
        } else {
            exitRequested = true;
            openLogin("Leaving kiosk mode needs an admin PIN");
        }
    }

    /** Whether the window is shown (kiosk exit hides it). */
    public boolean windowShowing() {
        return stage != null && stage.isShowing();
    }

    /** Full screen and undecorated, as kiosk mode opens it. */
    public boolean kioskLook() {
        return stage != null && stage.isFullScreen() && stage.getStyle() == StageStyle.UNDECORATED;
    }

    /** What the window manager's close (Alt+F4) does: in kiosk mode, asks for an admin PIN instead. */
    void requestClose() {
        if (stage != null) {
            stage.fireEvent(new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
        }
    }

    /** Opens the login as the nav's "Log in" button does. FX thread. */
    void openLoginForTest() {
        openLogin("");
    }

    public boolean loginOpen() {
        return layers.getChildren().contains(login.view());
    }

    /** A refresh from the ticker: none once the window is gone (a tick posted just before it closed). FX thread. */
    private void tick(long now) {
        if (stage != null && stage.isShowing()) {
            refresh(now);
        }
    }

    private void refresh(long now) {
        if (session.expireIfIdle()) {
            station.logOut(); // the station's token must not outlive the HMI's login
            if (!session.can(needs(current))) {
                show("Production");
            }
        }
        loginButton.setText(session.role() == Role.OPERATOR ? "Log in" : "Log out " + session.who());
        HmiState state = feed.state();
        // every screen: a local view records what is wrong even while nobody looks at the banner
        List<AlarmBook.BannerAlarm> alarms = station.alarms(now);
        switch (current) {
            case "Production" -> production.update(state, station.stats(), alarms, station.recipeLabel());
            case "Rejects" -> rejects.update(state);
            case "Statistics", "Recipes" -> { }
            default -> {
                if (now - lastDiagnostics > 500_000_000L) {
                    lastDiagnostics = now;
                    diagnostics.update(station, state.last());
                }
            }
        }
    }

    /**
     * ACK: acknowledges the alarms the banner shows unacknowledged, under the logged-in user or "operator", each with
     * its audit record in the same transaction. Runs on the alarm thread; a failure is shown in the banner and the
     * alarms stay unacknowledged. FX thread.
     */
    void acknowledgeAlarms() {
        List<Long> ids = production.alarms().unacknowledged();
        String who = session.who();
        production.alarms().note("");
        ackThread.execute(() -> {
            String failure = null;
            for (long id : ids) {
                try {
                    session.audit().acknowledgeAlarm(id, who);
                } catch (AuditException e) {
                    failure = "ACK failed: " + e.getMessage();
                    break;
                }
            }
            station.alarmsChanged();
            String note = failure == null ? "" : failure;
            if (failure != null) {
                log.atError().setMessage("alarm acknowledgement failed").addKeyValue("who", who)
                        .addKeyValue("error", failure).log();
            }
            Platform.runLater(() -> production.alarms().note(note));
        });
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
            return f.get(30, TimeUnit.SECONDS); // generous: software rendering on a loaded machine
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

    public RecipesScreen recipes() {
        return recipes;
    }

    public StatisticsScreen statistics() {
        return statistics;
    }

    public LoginPane login() {
        return login;
    }

    public Session session() {
        return session;
    }

    UsersScreen users() {
        return usersScreen;
    }

    public String current() {
        return current;
    }

    private void stopTimer() {
        if (timer != null) {
            timer.close();
        }
    }

    /** Closes the window; the station keeps running. Any thread. */
    @Override
    public void close() {
        closing = true;
        background.shutdownNow();
        ackThread.shutdownNow();
        station.detach(feed);
        onFx(() -> {
            stopTimer();
            if (stage != null) {
                stage.hide();
            }
            return null;
        });
    }
}
