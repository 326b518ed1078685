/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.result.AnomalyJson;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.ResultJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What is drawn over one shot, as vectors in frame pixels: the rules' geometry (pass or fail), the model's
 * detections and the anomaly model's map, region and score. Taken from a live {@link Inspection} (HMI) or from an
 * archived part's side-car (the same vectors, written by {@link SideCar}); {@link OverlayRenderer} turns either into
 * the same pixels.
 */
public record ShotOverlays(String shot, List<Overlay> rules, List<Detection> detections, @Nullable ShotAnomaly anomaly) {
    public ShotOverlays {
        rules = List.copyOf(rules);
        detections = List.copyOf(detections);
    }

    /** Rules and detections, no anomaly model. */
    public ShotOverlays(String shot, List<Overlay> rules, List<Detection> detections) {
        this(shot, rules, detections, null);
    }

    public static ShotOverlays none(String shot) {
        return new ShotOverlays(shot, List.of(), List.of());
    }

    /** The overlays of {@code shot} in an inspection. */
    public static ShotOverlays of(Inspection i, String shot) {
        List<Overlay> rules = new ArrayList<>();
        for (RuleResult r : i.rules()) {
            if (r.shot().equals(shot)) {
                rules.addAll(r.overlays());
            }
        }
        return new ShotOverlays(shot, rules, detectionsOf(i.detections(), shot), anomalyOf(i.anomalies(), shot));
    }

    /**
     * The overlays of {@code shot} as an archived part's side-car keeps them ({@code images[].overlays} and the
     * top-level {@code detections}); a side-car written before overlays were kept as vectors has none.
     *
     * @throws IOException naming the entry that is not an overlay
     */
    public static ShotOverlays fromSideCar(JsonNode sideCar, String shot) throws IOException {
        List<Overlay> rules = new ArrayList<>();
        int k = 0;
        for (JsonNode img : sideCar.path("images")) {
            if (shot.equals(img.path("shot").asText())) {
                rules.addAll(ResultJson.readOverlays(img.path("overlays"), "images[" + k + "].overlays"));
            }
            k++;
        }
        return new ShotOverlays(shot, rules, detectionsOf(ResultJson.readDetections(sideCar.path("detections")), shot),
                anomalyOf(AnomalyJson.read(sideCar.path("anomalies")), shot));
    }

    private static @Nullable ShotAnomaly anomalyOf(List<ShotAnomaly> all, String shot) {
        for (ShotAnomaly a : all) {
            if (a.shot().equals(shot)) {
                return a;
            }
        }
        return null;
    }

    private static List<Detection> detectionsOf(List<ShotDetections> all, String shot) {
        List<Detection> out = new ArrayList<>();
        for (ShotDetections sd : all) {
            if (sd.shot().equals(shot)) {
                out.addAll(sd.detections());
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return rules.isEmpty() && detections.isEmpty() && anomaly == null;
    }
}
