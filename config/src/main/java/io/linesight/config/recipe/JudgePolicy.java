/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How rule results and detections become a verdict.
 *
 * @param minDefectAreaPx   detections smaller than this (box area in frame pixels) are ignored
 * @param toleratedClasses  classes that are reported but never reject a part
 * @param maxDefects        a part with more than this many counted detections is rejected; 0 means any detection
 *                          rejects
 * @param minDefectAreaMm2  detections smaller than this (box area in mm², through the shot's calibration) are
 *                          ignored; 0 for no limit; ignored on a shot without calibration
 * @param maxDefectsByClass per-class count limit: more counted detections of that class reject (a class listed
 *                          here is no longer part of the {@code maxDefects} total)
 * @param zones             regions where a class is tolerated or critical; the first zone containing a
 *                          detection's box centre applies
 * @param decision          {@code any-fail}: any failed rule or counted defect rejects; {@code weighted}: failed
 *                          rules and counted defects add their weight, and a part reaches {@code rejectScore} to be
 *                          rejected (faults of image, camera or rule always reject)
 * @param weights           weight of a rule (by rule name) or of a defect class (by class name) in a weighted
 *                          decision; 1 when absent
 * @param rejectScore       the weighted score at which a part is rejected
 */
public record JudgePolicy(
        @Default("0") @Range(min = 0, max = 1e12) double minDefectAreaPx,
        List<String> toleratedClasses,
        @Default("0") @Range(min = 0, max = 100_000) int maxDefects,
        @Default("0") @Range(min = 0, max = 1e12) double minDefectAreaMm2,
        Map<String, Integer> maxDefectsByClass,
        List<Zone> zones,
        @Default("any-fail") Decision decision,
        Map<String, Double> weights,
        @Default("1") @Range(min = 0.000001, max = 1e9) double rejectScore) {

    /** The original three-field form: any-fail, no zones, no per-class limits. */
    public JudgePolicy(double minDefectAreaPx, List<String> toleratedClasses, int maxDefects) {
        this(minDefectAreaPx, toleratedClasses, maxDefects, 0, Map.of(), List.of(), Decision.ANY_FAIL, Map.of(), 1);
    }

    public JudgePolicy {
        toleratedClasses = List.copyOf(toleratedClasses);
        maxDefectsByClass = Map.copyOf(maxDefectsByClass);
        zones = List.copyOf(zones);
        weights = Map.copyOf(weights);
        for (Map.Entry<String, Integer> e : maxDefectsByClass.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("maxDefectsByClass." + e.getKey() + ": " + e.getValue() + " must be 0 or more");
            }
        }
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (!(e.getValue() >= 0)) {
                throw new IllegalArgumentException("weights." + e.getKey() + ": " + e.getValue() + " must be 0 or more");
            }
        }
    }

    public enum Decision { ANY_FAIL, WEIGHTED }

    /**
     * A region of a shot where detections are treated differently.
     *
     * @param name    shown in reasons
     * @param shot    the shot the zone applies to, or none for every shot
     * @param roi     the region in frame px
     * @param classes the classes it applies to; empty for every class
     * @param mode    {@code tolerated}: such detections never count; {@code critical}: any such detection rejects,
     *                whatever the count limits, area minimum or tolerated classes say (the class's minimum
     *                confidence still applies)
     */
    public record Zone(String name, @Nullable String shot, Roi roi, List<String> classes, Mode mode) {
        public enum Mode { TOLERATED, CRITICAL }

        public Zone {
            classes = List.copyOf(classes);
        }

        public boolean appliesTo(String shotName, String className) {
            return (shot == null || shot.equals(shotName)) && (classes.isEmpty() || classes.contains(className));
        }

        public boolean contains(double x, double y) {
            return x >= roi.x() && x < roi.right() && y >= roi.y() && y < roi.bottom();
        }
    }
}
