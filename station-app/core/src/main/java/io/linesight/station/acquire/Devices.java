/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProviders;
import io.linesight.config.station.CameraConfig;
import io.linesight.config.station.LightConfig;
import io.linesight.config.station.StationConfig;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllers;
import io.linesight.lighting.api.LightHealth;
import io.linesight.lighting.api.LightException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import io.linesight.camera.api.Frame;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The station's open cameras and light controllers, with their frame collectors. Closes them in reverse order. */
public final class Devices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Devices.class);

    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final Map<String, FrameCollector> collectors = new LinkedHashMap<>();
    private final Map<String, CameraConfig> cameraConfigs = new LinkedHashMap<>();
    private final Map<String, LightController> lights = new LinkedHashMap<>();

    /** Opens and starts every device of the station; on any failure closes what was opened and throws. */
    public static Devices open(StationConfig station) throws CameraException, LightException {
        Devices d = new Devices();
        try {
            for (LightConfig lc : station.lights()) {
                d.lights.put(lc.id(), LightControllers.byId(lc.driver()).open(lc));
            }
            for (CameraConfig cc : station.cameras()) {
                Camera cam = CameraProviders.byId(cc.driver()).open(cc);
                d.cameras.put(cc.id(), cam);
                d.cameraConfigs.put(cc.id(), cc);
                FrameCollector collector = new FrameCollector(cc.id());
                d.collectors.put(cc.id(), collector);
                cam.start(collector);
                log.atInfo().setMessage("camera ready").addKeyValue("camera", cc.id()).addKeyValue("driver", cc.driver())
                        .addKeyValue("model", cam.info().model()).log();
            }
            return d;
        } catch (CameraException | LightException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    Camera camera(String id) {
        return java.util.Objects.requireNonNull(cameras.get(id), () -> "no camera " + id);
    }

    FrameCollector collector(String id) {
        return java.util.Objects.requireNonNull(collectors.get(id), () -> "no camera " + id);
    }

    CameraConfig cameraConfig(String id) {
        return java.util.Objects.requireNonNull(cameraConfigs.get(id), () -> "no camera " + id);
    }

    LightController light(String id) {
        return java.util.Objects.requireNonNull(lights.get(id), () -> "no light controller " + id);
    }

    /** Routes every camera's untagged frames (hardware trigger) to {@code queue}; null gives them back to waiters. */
    void routeUntaggedFrames(@Nullable BlockingQueue<Frame> queue) {
        collectors.values().forEach(c -> c.routeUntagged(queue));
    }

    /** Device health for displays: id → "ok" or the fault. */
    public Map<String, String> health() {
        Map<String, String> out = new LinkedHashMap<>();
        collectors.forEach((id, c) -> out.put("camera " + id, c.fault() == null ? "ok" : "FAULT: " + c.fault().getMessage()));
        lights.forEach((id, l) -> out.put("light " + id,
                l.health() instanceof LightHealth.Fault fault ? "FAULT: " + LightFaults.describe(fault) : "ok"));
        return out;
    }

    /** Frames that arrived after their part had given up, per camera. */
    public long orphanFrames() {
        return collectors.values().stream().mapToLong(FrameCollector::orphans).sum();
    }

    @Override
    public void close() {
        List<AutoCloseable> reverse = new ArrayList<>();
        reverse.addAll(lights.values());
        reverse.addAll(cameras.values());
        for (int i = reverse.size() - 1; i >= 0; i--) {
            try {
                if (reverse.get(i) instanceof Camera c) {
                    c.stop();
                }
                reverse.get(i).close();
            } catch (Exception e) {
                log.atWarn().setMessage("device did not close cleanly").addKeyValue("error", e.toString()).log();
            }
        }
    }
}
