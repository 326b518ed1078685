/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.Roi;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.rules.RuleResult;
import io.linesight.station.Station;
import io.linesight.station.auth.Role;
import io.linesight.station.hmi.recipe.RecipePreview;
import io.linesight.station.result.Inspection;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.testing.Peers;
import io.linesight.station.testing.TestStations;
import io.linesight.station.trigger.TimerTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.event.Event;
import javafx.event.EventType;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engineer drags a rule's ROI on the archived image in a real JavaFX window (X display needed, e.g.
 * {@code xvfb-run -a}; skipped without one), and the edit goes the way thresholds go: compare, re-inspection
 * preview, save as the next version, and the station runs it.
 */
class RecipeRoiIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final int HOLE_RULE = 1; // hole-top-left in the demo recipe
    private static final Roi HOLE_ROI = new Roi(264, 266, 124, 124);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsDisplay() {
        Peers.requireDisplay();
        System.setProperty("prism.order", "sw");
        HmiApp.startToolkit(); // before the station loads OpenCV (GTK 2)
    }

    @Test
    void engineerDragsAHoleRoiOffItsHole_compareShowsIt_previewFlipsPasses_savedVersionHasItAndTheStationRunsIt()
            throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 8000"); // a loaded test machine must not turn passes into timeouts
        LoadedStation loaded = TestStations.load(dir, yaml);
        Path recipeFile = loaded.recipeDir().resolve("bracket.yaml");
        // archive every good part too: the editor shows the newest image, the preview needs passes to flip
        Files.writeString(recipeFile, Files.readString(recipeFile).replace("okEveryN: 50", "okEveryN: 1"));
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            assertThat(station.recipe().rules().get(HOLE_RULE).roi()).isEqualTo(HOLE_ROI);
            HmiApp hmi = HmiApp.open(station, () -> { }, new HmiOptions(false, Duration.ofMinutes(5), "975310"));
            try {
                hmi.session().users().put("eve", Role.ENGINEER, "246810");
                try (TimerTrigger trigger = new TimerTrigger(20, 30, station::trigger)) {
                    while (trigger.triggered() < 30) {
                        Thread.sleep(20);
                    }
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                awaitArchive(dir.resolve("data").resolve("archive"));

                assertThat(hmi.onFx(() -> hmi.show("Recipes"))).as("engineers only: the login opens").isFalse();
                hmi.onFx(() -> {
                    hmi.login().select("eve");
                    hmi.login().pad().enter("246810");
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.show("Recipes"))).isTrue();
                RoiEditor rois = hmi.recipes().rois();
                hmi.onFx(() -> {
                    hmi.recipes().showRois(true);
                    rois.select(HOLE_RULE);
                    return null;
                });
                for (int i = 0; i < 300 && !hmi.onFx(rois::imageShown); i++) {
                    Thread.sleep(50);
                }
                assertThat(hmi.onFx(rois::imageShown)).as("the newest archived bright image is shown").isTrue();

                // move: grab the middle of the hole's ROI and drag it 200 frame px right, onto the plain plate
                RoiCanvas canvas = rois.canvas();
                touchAndDrag(hmi, canvas, 264 + 62, 266 + 62, 264 + 62 + 200, 266 + 62);
                Roi moved = new Roi(464, 266, 124, 124);
                assertThat(hmi.onFx(() -> rois.roi(HOLE_RULE))).isEqualTo(moved);
                assertThat(hmi.onFx(() -> rois.number("x").getText())).isEqualTo("464");
                // resize: the bottom-right corner 40 px right and 30 px down; the top-left corner stays
                touchAndDrag(hmi, canvas, moved.right(), moved.bottom(), moved.right() + 40, moved.bottom() + 30);
                Roi dragged = new Roi(464, 266, 164, 154);
                assertThat(hmi.onFx(() -> rois.roi(HOLE_RULE))).isEqualTo(dragged);
                // a typed number that leaves the frame is refused, naming the field, and changes nothing
                hmi.onFx(() -> {
                    rois.number("x").setText("1200");
                    rois.number("x").fireEvent(new javafx.event.ActionEvent());
                    return null;
                });
                assertThat(hmi.onFx(hmi.recipes()::status)).contains("rules[1].roi").contains("inside the 1280x1024 frame");
                assertThat(hmi.onFx(() -> rois.roi(HOLE_RULE))).isEqualTo(dragged);
                hmi.onFx(() -> {
                    rois.number("x").setText("464");
                    return null;
                });

                List<String> changes = hmi.onFx(() -> hmi.recipes().compare());
                assertThat(changes).contains("rules[1].roi.x: 264 → 464", "rules[1].roi.width: 124 → 164",
                        "rules[1].roi.height: 124 → 154").hasSize(3);
                hmi.screenshot("Recipes", SCREENSHOTS.resolve("recipes-roi.png"));

                // a hole ROI without its hole finds no blob: every part that passed would now be rejected
                RecipePreview.Result preview = hmi.onFx(() -> hmi.recipes().preview()).get(60, TimeUnit.SECONDS);
                assertThat(preview.parts()).as("%s", preview).isPositive();
                assertThat(preview.toReject()).as("passes flipped to REJECT").isPositive();
                assertThat(preview.toPass()).isZero();

                Recipe saved = hmi.onFx(() -> hmi.recipes().save());
                assertThat(saved).isNotNull();
                assertThat(saved.version()).isEqualTo(2);
                Recipe onDisk = RecipeLoader.load(recipeFile, "bracket.yaml", loaded.recipeDir(), loaded.config());
                assertThat(onDisk.version()).isEqualTo(2);
                assertThat(onDisk.rules().get(HOLE_RULE).roi()).isEqualTo(dragged);
                assertThat(loaded.recipeDir().resolve(".history/bracket@1.yaml")).exists();
                assertThat(hmi.session().audit().entries()).filteredOn(e -> e.action().equals("recipe-save")).first()
                        .extracting(AuditRecord::after).asString().contains("rules[1].roi.x: 264 → 464");

                // the station changed over between parts and inspects the hole rule in the new ROI
                assertThat(station.recipe().label()).isEqualTo("bracket@2");
                assertThat(station.recipe().rules().get(HOLE_RULE).roi()).isEqualTo(dragged);
                station.trigger("after-roi-edit");
                assertThat(station.awaitIdle(10_000)).isTrue();
                Inspection last = awaitPart(hmi, "after-roi-edit");
                assertThat(last.recipe()).isEqualTo("bracket@2");
                RuleResult hole = last.rules().stream().filter(r -> r.rule().equals("hole-top-left")).findFirst()
                        .orElseThrow();
                assertThat(hole.pass()).as("%s", hole).isFalse();
                assertThat(last.verdict().passed()).isFalse();

                // after the save the editor starts over on the running version: nothing left to compare but versions
                assertThat(hmi.onFx(rois::edits)).isEmpty();
                assertThat(hmi.onFx(() -> hmi.recipes().compare())).contains("rules[1].roi.x: 264 → 464");
            } finally {
                hmi.close();
            }
        }
    }

    /** Presses at one frame point, drags to another in three steps and releases, as real mouse events on the node. */
    private static void touchAndDrag(HmiApp hmi, RoiCanvas canvas, double fromX, double fromY, double toX, double toY) {
        hmi.onFx(() -> {
            Point2D a = canvas.toLocal(fromX, fromY);
            Point2D b = canvas.toLocal(toX, toY);
            fire(canvas, MouseEvent.MOUSE_PRESSED, a);
            for (int i = 1; i <= 3; i++) {
                fire(canvas, MouseEvent.MOUSE_DRAGGED, a.add(b.subtract(a).multiply(i / 3.0)));
            }
            fire(canvas, MouseEvent.MOUSE_RELEASED, b);
            return null;
        });
    }

    private static void fire(RoiCanvas node, EventType<MouseEvent> type, Point2D local) {
        // the event carries scene coordinates; dispatch gives each node its own
        Point2D scene = node.localToScene(local);
        Point2D screen = node.localToScreen(local);
        Event.fireEvent(node, new MouseEvent(node, node, type, scene.getX(), scene.getY(),
                screen == null ? 0 : screen.getX(), screen == null ? 0 : screen.getY(), MouseButton.PRIMARY, 1,
                false, false, false, false, type != MouseEvent.MOUSE_RELEASED, false, false, false, false, false, null));
    }

    private static void awaitArchive(Path archive) throws Exception {
        int archived = -1;
        for (int i = 0; i < 300; i++) { // the archive writes PNGs on its own thread, behind the verdicts
            int now = RecipePreview.lastParts(archive, "bracket", 100).size();
            if (now == archived && now > 0) {
                return;
            }
            archived = now;
            Thread.sleep(200);
        }
    }

    private static Inspection awaitPart(HmiApp hmi, String partId) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            Inspection last = hmi.feed().state().last();
            if (last != null && last.part().partId().equals(partId)) {
                return last;
            }
            Thread.sleep(20);
        }
        Inspection last = hmi.feed().state().last();
        assertThat(last).as("the HMI saw part %s", partId).isNotNull();
        assertThat(last.part().partId()).isEqualTo(partId);
        return last;
    }
}
