/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.config.station.CameraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cameras[].options} the GenICam driver understands, parsed and checked at open time. Every error names
 * the key as {@code cameras[<id>].options.<key>}; unknown keys are refused (a typo must not be ignored).
 *
 * @param fake               use Aravis' in-process fake camera interface ({@code arv_enable_interface("Fake")})
 * @param packetSocket       GigE: receive with a packet socket (fast, needs CAP_NET_RAW; does not work on
 *                           loopback); null means on, except for a camera on 127.0.0.0/8
 * @param socketBufferBytes  GigE: receive socket buffer (the kernel caps it at net.core.rmem_max)
 * @param packetSize         GigE: GevSCPSPacketSize in bytes; 0 keeps the camera's
 * @param packetDelayNs      GigE: inter-packet delay in ns; negative keeps the camera's (key {@code packetDelay})
 * @param packetTimeoutUs    GigE: how long Aravis waits for a missing packet before asking for a resend; 0 keeps
 *                           Aravis' default (20 ms)
 * @param frameRetentionUs   GigE: how long Aravis waits for the rest of a frame before giving it up as incomplete;
 *                           0 keeps Aravis' default (100 ms)
 * @param streamBuffers      Aravis buffers in the ring
 * @param poolSize           frame buffers handed downstream
 * @param offsetX            region offset
 * @param offsetY            region offset
 * @param wirePixelFormat    exact PFNC name to request (e.g. Mono12p); null picks the first the camera accepts
 * @param triggerLine        hardware trigger input (TriggerSource) in hardware mode
 * @param triggerActivation  TriggerActivation in hardware mode (RisingEdge, FallingEdge, …); null keeps the camera's
 * @param frameRate          AcquisitionFrameRate in free-run mode; 0 keeps the camera's
 * @param strobeLine         output line (LineSelector) that fires a light; null leaves lines alone
 * @param strobeSource       LineSource of the strobe line
 * @param minTriggerIntervalMs shortest time between two software triggers; trigger() waits out the rest. A camera
 *                           drops triggers that come faster than it can expose (the Aravis fakes: 40 ms); null means
 *                           90 ms for an Aravis fake camera and 0 for any other
 * @param gateUntriggered    software mode: deliver only the first frame after each trigger and discard the rest, for
 *                           a device that streams whether triggered or not (Aravis' in-process fake ignores
 *                           triggers, the fake GigE camera can replay a trigger left pending from a previous run);
 *                           null means on for the Aravis fakes only
 * @param reconnectMaxBackoffMs longest pause between two reconnection attempts
 */
record GenicamOptions(
        boolean fake,
        @Nullable Boolean packetSocket,
        int socketBufferBytes,
        int packetSize,
        long packetDelayNs,
        int packetTimeoutUs,
        int frameRetentionUs,
        int streamBuffers,
        int poolSize,
        int offsetX,
        int offsetY,
        @Nullable String wirePixelFormat,
        String triggerLine,
        @Nullable String triggerActivation,
        double frameRate,
        @Nullable String strobeLine,
        String strobeSource,
        @Nullable Long minTriggerIntervalMs,
        @Nullable Boolean gateUntriggered,
        long reconnectMaxBackoffMs) {

    static final int DEFAULT_SOCKET_BUFFER = 4 * 1024 * 1024;
    /**
     * The Aravis fake cameras look for a software trigger once per 40 ms tick and keep one pending at most; two
     * ticks apart, a trigger survives a fake thread that wakes late on a loaded machine.
     */
    static final long FAKE_TRIGGER_INTERVAL_MS = 90;

    static final Set<String> KEYS = Set.of("fake", "packetSocket", "socketBufferBytes", "packetSize", "packetDelay",
            "packetTimeoutUs", "frameRetentionUs",
            "streamBuffers", "poolSize", "offsetX", "offsetY", "wirePixelFormat", "triggerLine", "triggerActivation",
            "frameRate", "strobeLine", "strobeSource", "minTriggerIntervalMs", "gateUntriggered",
            "reconnectMaxBackoffMs");

    /** Parses {@code config.options()}; all problems are reported together in one BAD_SETTING. */
    static GenicamOptions parse(CameraConfig config) throws CameraException {
        Reader r = new Reader(config);
        for (String key : config.options().keySet()) {
            if (!KEYS.contains(key)) {
                r.errors.add(r.path(key) + ": unknown option; known: " + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        String device = config.device() == null ? "" : config.device();
        boolean fake = r.bool("fake", device.startsWith("Fake_"));
        GenicamOptions o = new GenicamOptions(
                fake,
                r.has("packetSocket") ? r.bool("packetSocket", false) : null,
                (int) r.integer("socketBufferBytes", DEFAULT_SOCKET_BUFFER, 0, 1L << 30),
                (int) r.integer("packetSize", 0, 0, 65_536),
                r.integer("packetDelay", -1, -1, 1_000_000_000L),
                (int) r.integer("packetTimeoutUs", 0, 0, 10_000_000),
                (int) r.integer("frameRetentionUs", 0, 0, 60_000_000),
                (int) r.integer("streamBuffers", 8, 2, 256),
                (int) r.integer("poolSize", 8, 1, 1024),
                (int) r.integer("offsetX", 0, 0, 65_535),
                (int) r.integer("offsetY", 0, 0, 65_535),
                r.string("wirePixelFormat", null),
                r.stringOr("triggerLine", "Line0"),
                r.string("triggerActivation", null),
                r.decimal("frameRate", 0, 0, 100_000),
                r.string("strobeLine", null),
                r.stringOr("strobeSource", "ExposureActive"),
                r.has("minTriggerIntervalMs") ? r.integer("minTriggerIntervalMs", 0, 0, 60_000) : null,
                r.has("gateUntriggered") ? r.bool("gateUntriggered", false) : null,
                r.integer("reconnectMaxBackoffMs", 5_000, 100, 600_000));
        if (o.wirePixelFormat != null) {
            WireFormat w = WireFormat.byName(o.wirePixelFormat);
            if (w == null) {
                r.errors.add(r.path("wirePixelFormat") + ": rejected '" + o.wirePixelFormat + "', must be one of "
                        + java.util.Arrays.stream(WireFormat.values()).map(WireFormat::pfncName).toList());
            } else if (w.target() != config.pixelFormat()) {
                r.errors.add(r.path("wirePixelFormat") + ": " + w.pfncName() + " does not deliver pixelFormat "
                        + config.pixelFormat().name().toLowerCase(Locale.ROOT));
            }
        }
        if (!r.errors.isEmpty()) {
            throw new CameraException(CameraException.Code.BAD_SETTING, String.join("; ", r.errors));
        }
        return o;
    }

    /** Whether to use the packet socket for a camera at {@code address}. */
    boolean packetSocketFor(String address) {
        if (packetSocket != null) {
            return packetSocket;
        }
        return !address.startsWith("127.");
    }

    /** The trigger spacing for this device: as configured, else 90 ms for an Aravis fake camera. */
    long minTriggerIntervalMsFor(CameraInfo device) {
        if (minTriggerIntervalMs != null) {
            return minTriggerIntervalMs;
        }
        return isAravisFake(device) ? FAKE_TRIGGER_INTERVAL_MS : 0;
    }

    /** Whether to discard frames no trigger asked for: as configured, else only for the Aravis fakes. */
    boolean gateUntriggeredFor(CameraInfo device) {
        if (gateUntriggered != null) {
            return gateUntriggered;
        }
        return isAravisFake(device);
    }

    static boolean isAravisFake(CameraInfo device) {
        return device.id().startsWith("Fake_") || device.vendor().startsWith("Aravis") && device.model().contains("Fake");
    }

    private static final class Reader {
        final String camera;
        final Map<String, String> options;
        final List<String> errors = new ArrayList<>();

        Reader(CameraConfig c) {
            this.camera = c.id();
            this.options = c.options();
        }

        String path(String key) {
            return "cameras[" + camera + "].options." + key;
        }

        boolean has(String key) {
            return options.containsKey(key);
        }

        boolean bool(String key, boolean dflt) {
            String v = options.get(key);
            if (v == null) {
                return dflt;
            }
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> {
                    errors.add(path(key) + ": rejected '" + v + "', must be true or false");
                    yield dflt;
                }
            };
        }

        long integer(String key, long dflt, long min, long max) {
            String v = options.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                long n = Long.parseLong(v.trim());
                if (n < min || n > max) {
                    errors.add(path(key) + ": rejected " + n + ", must be " + min + ".." + max);
                    return dflt;
                }
                return n;
            } catch (NumberFormatException e) {
                errors.add(path(key) + ": rejected '" + v + "', must be a whole number");
                return dflt;
            }
        }

        double decimal(String key, double dflt, double min, double max) {
            String v = options.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                double n = Double.parseDouble(v.trim());
                if (!(n >= min && n <= max)) {
                    errors.add(path(key) + ": rejected " + v + ", must be " + min + ".." + max);
                    return dflt;
                }
                return n;
            } catch (NumberFormatException e) {
                errors.add(path(key) + ": rejected '" + v + "', must be a number");
                return dflt;
            }
        }

        @Nullable String string(String key, @Nullable String dflt) {
            String v = options.get(key);
            if (v == null) {
                return dflt;
            }
            if (v.isBlank()) {
                errors.add(path(key) + ": must not be empty");
                return dflt;
            }
            return v.trim();
        }

        String stringOr(String key, String dflt) {
            String v = string(key, dflt);
            return v == null ? dflt : v;
        }
    }
}
