/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.CameraException;
import io.linesight.config.station.CameraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code cameras[].options} of the Spinnaker driver; errors name {@code cameras[<id>].options.<key>}.
 *
 * @param triggerLine       hardware trigger input (TriggerSource) in hardware mode
 * @param triggerActivation TriggerActivation in hardware mode
 * @param frameRate         AcquisitionFrameRate in free-run mode; 0 keeps the camera's
 * @param strobeLine        output line that fires a light (LineSelector); null leaves lines alone
 * @param strobeSource      LineSource of that line
 * @param offsetX           region offset
 * @param offsetY           region offset
 * @param poolSize          frame buffers handed downstream
 * @param streamBuffers     buffers the SDK keeps for the stream (StreamBufferCountManual)
 * @param reconnectMaxBackoffMs longest pause between two reconnection attempts
 * @param minTriggerIntervalMs  shortest time between two software triggers; trigger() waits out the rest (0: none)
 */
record SpinnakerOptions(String triggerLine, String triggerActivation, double frameRate, @Nullable String strobeLine,
        String strobeSource, int offsetX, int offsetY, int poolSize, int streamBuffers, long reconnectMaxBackoffMs,
        long minTriggerIntervalMs) {

    static final Set<String> KEYS = Set.of("triggerLine", "triggerActivation", "frameRate", "strobeLine",
            "strobeSource", "offsetX", "offsetY", "poolSize", "streamBuffers", "reconnectMaxBackoffMs",
            "minTriggerIntervalMs");

    static SpinnakerOptions parse(CameraConfig c) throws CameraException {
        List<String> errors = new ArrayList<>();
        String prefix = "cameras[" + c.id() + "].options.";
        for (String k : c.options().keySet()) {
            if (!KEYS.contains(k)) {
                errors.add(prefix + k + ": unknown option; known: " + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        SpinnakerOptions o = new SpinnakerOptions(
                text(c, "triggerLine", "Line0"),
                text(c, "triggerActivation", "RisingEdge"),
                number(c, "frameRate", 0, 0, 100_000, errors),
                c.options().get("strobeLine"),
                text(c, "strobeSource", "ExposureActive"),
                (int) number(c, "offsetX", 0, 0, 65_535, errors),
                (int) number(c, "offsetY", 0, 0, 65_535, errors),
                (int) number(c, "poolSize", 8, 1, 1024, errors),
                (int) number(c, "streamBuffers", 10, 2, 1024, errors),
                (long) number(c, "reconnectMaxBackoffMs", 5_000, 100, 600_000, errors),
                (long) number(c, "minTriggerIntervalMs", 0, 0, 60_000, errors));
        if (!errors.isEmpty()) {
            throw new CameraException(CameraException.Code.BAD_SETTING, String.join("; ", errors));
        }
        return o;
    }

    private static String text(CameraConfig c, String key, String dflt) {
        String v = c.options().get(key);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static double number(CameraConfig c, String key, double dflt, double min, double max, List<String> errors) {
        String v = c.options().get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double n = Double.parseDouble(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
            errors.add("cameras[" + c.id() + "].options." + key + ": rejected " + v + ", must be "
                    + String.format(Locale.ROOT, "%.0f..%.0f", min, max));
        } catch (NumberFormatException e) {
            errors.add("cameras[" + c.id() + "].options." + key + ": rejected '" + v + "', must be a number");
        }
        return dflt;
    }
}
