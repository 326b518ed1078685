/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraSettings;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * From station config to Spinnaker (GenICam SFNC) node writes. Pure: the SDK-facing code only executes these plans.
 */
final class SpinnakerMapping {
    private SpinnakerMapping() {
    }

    /**
     * A wire pixel format to ask for, and whether the SDK's image processor must convert it to the pipeline's
     * format (packed 10/12-bit → Mono16 little-endian; the Spinnaker converter does the unpacking).
     */
    record WirePixelFormat(String symbol, PixelFormat target, boolean convert) {
    }

    /** Candidates, preferred first, for the configured pixel format. */
    static List<WirePixelFormat> pixelFormats(PixelFormat f) {
        return switch (f) {
            case MONO8 -> List.of(new WirePixelFormat("Mono8", f, false));
            case MONO10 -> List.of(new WirePixelFormat("Mono10", f, false), new WirePixelFormat("Mono10p", f, true),
                    new WirePixelFormat("Mono10Packed", f, true));
            case MONO12 -> List.of(new WirePixelFormat("Mono12", f, false), new WirePixelFormat("Mono12p", f, true),
                    new WirePixelFormat("Mono12Packed", f, true));
            case MONO16 -> List.of(new WirePixelFormat("Mono16", f, false));
        };
    }

    /**
     * What open() writes after the pixel format, in order: stop any acquisition left running, region (offsets to 0
     * first, so a larger width fits), continuous acquisition, the trigger mode, the strobe line.
     */
    static List<NodeWrite> openPlan(CameraConfig c, SpinnakerOptions o) {
        List<NodeWrite> w = new ArrayList<>();
        w.add(NodeWrite.integer("OffsetX", 0));
        w.add(NodeWrite.integer("OffsetY", 0));
        w.add(NodeWrite.integer("Width", c.width()));
        w.add(NodeWrite.integer("Height", c.height()));
        w.add(NodeWrite.integer("OffsetX", o.offsetX()));
        w.add(NodeWrite.integer("OffsetY", o.offsetY()));
        w.add(NodeWrite.enumeration("AcquisitionMode", "Continuous"));
        w.addAll(triggerPlan(c.triggerMode(), o));
        if (o.strobeLine() != null) {
            w.add(NodeWrite.enumeration("LineSelector", o.strobeLine()));
            w.add(NodeWrite.enumeration("LineMode", "Output"));
            w.add(NodeWrite.enumeration("LineSource", o.strobeSource()));
        }
        return w;
    }

    /**
     * Trigger configuration. FLIR cameras refuse TriggerSource changes while TriggerMode is On, so the mode goes Off
     * first and On last.
     */
    static List<NodeWrite> triggerPlan(TriggerMode mode, SpinnakerOptions o) {
        List<NodeWrite> w = new ArrayList<>();
        w.add(NodeWrite.enumeration("TriggerMode", "Off"));
        switch (mode) {
            case SOFTWARE -> {
                w.add(NodeWrite.optionalEnum("TriggerSelector", "FrameStart"));
                w.add(NodeWrite.enumeration("TriggerSource", "Software"));
                w.add(NodeWrite.enumeration("TriggerMode", "On"));
            }
            case HARDWARE -> {
                w.add(NodeWrite.optionalEnum("TriggerSelector", "FrameStart"));
                w.add(NodeWrite.enumeration("TriggerSource", o.triggerLine()));
                w.add(NodeWrite.enumeration("TriggerActivation", o.triggerActivation()));
                w.add(NodeWrite.enumeration("TriggerMode", "On"));
            }
            case FREE_RUN -> {
                if (o.frameRate() > 0) {
                    w.add(NodeWrite.bool("AcquisitionFrameRateEnable", true, true));
                    w.add(NodeWrite.real("AcquisitionFrameRate", o.frameRate()));
                }
            }
        }
        return w;
    }

    /** Per-shot settings: automatic exposure and gain off (they would fight the recipe), then values, then features. */
    static List<NodeWrite> settingsPlan(CameraSettings s) {
        List<NodeWrite> w = new ArrayList<>();
        w.add(NodeWrite.optionalEnum("ExposureAuto", "Off"));
        w.add(NodeWrite.optionalEnum("ExposureMode", "Timed"));
        w.add(NodeWrite.real("ExposureTime", s.exposureUs()));
        w.add(NodeWrite.optionalEnum("GainAuto", "Off"));
        w.add(NodeWrite.real("Gain", s.gainDb()));
        for (Map.Entry<String, String> f : s.features().entrySet()) {
            w.add(NodeWrite.any(f.getKey(), f.getValue()));
        }
        return w;
    }

    /**
     * Whether a discovered camera is the one {@code cameras[].device} names: serial, user id, IP address or
     * model-serial; a blank device takes any (the caller refuses when there is more than one).
     */
    static boolean matches(CameraInfo info, String userId, @Nullable String device) {
        if (device == null || device.isBlank()) {
            return true;
        }
        String d = device.trim();
        return d.equals(info.serial()) || d.equals(info.id()) || !userId.isEmpty() && d.equals(userId)
                || !info.address().isEmpty() && d.equals(info.address()) || d.equals(info.model() + "-" + info.serial());
    }

    /** GevDeviceIPAddress as text: dotted already, or the 32-bit integer GenICam gives (big-endian order). */
    static String ipv4(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.contains(".")) {
            return v;
        }
        try {
            long ip = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            return (ip >>> 24 & 0xFF) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /** The software trigger of one shot. */
    static NodeWrite softwareTrigger() {
        return NodeWrite.command("TriggerSoftware");
    }
}
