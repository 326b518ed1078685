/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.linesight.camera.api.CameraException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * A typed, checked handle on one {@code ArvCamera*}. Every method turns a {@code GError} into a
 * {@link CameraException} naming the operation or feature. Methods are synchronized: Aravis serialises GVCP on its
 * own, but the error slot and the handle's lifetime are ours to protect (close() frees the camera).
 *
 * <p>Blocking: each call is one or a few GVCP round trips, bounded by Aravis' GVCP timeout and retries (hundreds of
 * ms when the device is gone), never indefinite.
 */
// binding C is what this class is for: the restricted FFM calls are intended (run with --enable-native-access)
@SuppressWarnings("restricted")
final class ArvCamera implements AutoCloseable {
    private final ArvLib lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errorSlot;
    private final String deviceId;
    private MemorySegment cam;

    private ArvCamera(ArvLib lib, MemorySegment cam, String deviceId) {
        this.lib = lib;
        this.cam = cam;
        this.deviceId = deviceId;
        this.errorSlot = arena.allocate(ADDRESS);
    }

    /** Connects to the device with this Aravis id. Blocks for the connection (GVCP: up to about a second). */
    static ArvCamera open(ArvLib lib, String deviceId) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(ADDRESS);
            MemorySegment cam = (MemorySegment) lib.cameraNew.invokeExact(a.allocateFrom(deviceId), err);
            CameraException e = takeError(lib, err, "connect to " + deviceId);
            if (e != null) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED, e.getMessage(), e);
            }
            if (cam.equals(MemorySegment.NULL)) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED, "genicam: cannot connect to " + deviceId);
            }
            return new ArvCamera(lib, cam, deviceId);
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    String deviceId() {
        return deviceId;
    }

    synchronized MemorySegment handle() throws CameraException {
        if (cam.equals(MemorySegment.NULL)) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, "genicam: " + deviceId + " is closed");
        }
        return cam;
    }

    synchronized boolean isGigE() throws CameraException {
        try {
            return (int) lib.cameraIsGvDevice.invokeExact(handle()) != 0;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    synchronized void setRegion(int x, int y, int width, int height) throws CameraException {
        call("set region", () -> { lib.cameraSetRegion.invokeExact(handle(), x, y, width, height, clearError()); });
    }

    /** {x, y, width, height}. */
    synchronized int[] region() throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT, 4);
            call("get region", () -> { lib.cameraGetRegion.invokeExact(handle(), v, v.asSlice(4), v.asSlice(8),
                    v.asSlice(12), clearError()); });
            return v.toArray(JAVA_INT);
        }
    }

    synchronized void setPixelFormat(String pfnc) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(pfnc);
            call("PixelFormat=" + pfnc, () -> { lib.cameraSetPixelFormatFromString.invokeExact(handle(), s, clearError()); });
        }
    }

    synchronized String pixelFormat() throws CameraException {
        return string("get PixelFormat", () -> (MemorySegment) lib.cameraGetPixelFormatAsString.invokeExact(handle(),
                clearError()));
    }

    synchronized void setExposureUs(double us) throws CameraException {
        call("ExposureTime=" + us, () -> { lib.cameraSetExposureTime.invokeExact(handle(), us, clearError()); });
    }

    synchronized double exposureUs() throws CameraException {
        return dbl("get ExposureTime", () -> (double) lib.cameraGetExposureTime.invokeExact(handle(), clearError()));
    }

    synchronized void setGain(double gain) throws CameraException {
        call("Gain=" + gain, () -> { lib.cameraSetGain.invokeExact(handle(), gain, clearError()); });
    }

    synchronized double gain() throws CameraException {
        return dbl("get Gain", () -> (double) lib.cameraGetGain.invokeExact(handle(), clearError()));
    }

    synchronized void setFrameRate(double fps) throws CameraException {
        call("AcquisitionFrameRate=" + fps, () -> { lib.cameraSetFrameRate.invokeExact(handle(), fps, clearError()); });
    }

    /** TriggerSelector=FrameStart, TriggerMode=On, TriggerSource=source (Aravis handles vendor quirks). */
    synchronized void setTrigger(String source) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(source);
            call("TriggerSource=" + source, () -> { lib.cameraSetTrigger.invokeExact(handle(), s, clearError()); });
        }
    }

    synchronized void clearTriggers() throws CameraException {
        call("TriggerMode=Off", () -> { lib.cameraClearTriggers.invokeExact(handle(), clearError()); });
    }

    synchronized void softwareTrigger() throws CameraException {
        call("TriggerSoftware", () -> { lib.cameraSoftwareTrigger.invokeExact(handle(), clearError()); });
    }

    synchronized void startAcquisition() throws CameraException {
        call("AcquisitionStart", () -> { lib.cameraStartAcquisition.invokeExact(handle(), clearError()); });
    }

    synchronized void stopAcquisition() throws CameraException {
        call("AcquisitionStop", () -> { lib.cameraStopAcquisition.invokeExact(handle(), clearError()); });
    }

    synchronized void abortAcquisition() throws CameraException {
        call("AcquisitionAbort", () -> { lib.cameraAbortAcquisition.invokeExact(handle(), clearError()); });
    }

    synchronized int payloadBytes() throws CameraException {
        try {
            int p = (int) lib.cameraGetPayload.invokeExact(handle(), clearError());
            throwIfError("get PayloadSize");
            return p;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Before {@link #createStream()}: packet socket (fast path for real NICs) on or off. */
    synchronized void setGvPacketSocket(boolean enabled) throws CameraException {
        int option = enabled ? ArvLib.GV_STREAM_OPTION_NONE : ArvLib.GV_STREAM_OPTION_PACKET_SOCKET_DISABLED;
        call("stream options", () -> { lib.cameraGvSetStreamOptions.invokeExact(handle(), option); });
    }

    synchronized void setGvPacketSize(int bytes) throws CameraException {
        call("GevSCPSPacketSize=" + bytes, () -> { lib.cameraGvSetPacketSize.invokeExact(handle(), bytes, clearError()); });
    }

    synchronized void setGvPacketDelayNs(long ns) throws CameraException {
        call("GevSCPD=" + ns + "ns", () -> { lib.cameraGvSetPacketDelay.invokeExact(handle(), ns, clearError()); });
    }

    synchronized boolean isFeatureAvailable(String feature) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            int r = (int) lib.cameraIsFeatureAvailable.invokeExact(handle(), f, clearError());
            // an unknown feature is just "not available", not an error: free the GError and move on
            takeError(lib, errorSlot, feature);
            return r != 0;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The feature's type from the device description; throws BAD_SETTING when the device has no such feature. */
    synchronized FeatureKind featureKind(String feature) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment device = (MemorySegment) lib.cameraGetDevice.invokeExact(handle());
            MemorySegment node = (MemorySegment) lib.deviceGetFeature.invokeExact(device, a.allocateFrom(feature));
            if (node.equals(MemorySegment.NULL)) {
                throw new CameraException(CameraException.Code.BAD_SETTING,
                        "genicam: " + deviceId + " has no feature '" + feature + "'");
            }
            MemorySegment name = (MemorySegment) lib.domNodeGetNodeName.invokeExact(node);
            return FeatureKind.ofNodeName(cString(name));
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    synchronized void setString(String feature, String value) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            MemorySegment v = a.allocateFrom(value);
            call(feature + "=" + value, () -> { lib.cameraSetString.invokeExact(handle(), f, v, clearError()); });
        }
    }

    synchronized String getString(String feature) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            return string("get " + feature, () -> (MemorySegment) lib.cameraGetString.invokeExact(handle(), f,
                    clearError()));
        }
    }

    synchronized void setInteger(String feature, long value) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            call(feature + "=" + value, () -> { lib.cameraSetInteger.invokeExact(handle(), f, value, clearError()); });
        }
    }

    synchronized long getInteger(String feature) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            long v = (long) lib.cameraGetInteger.invokeExact(handle(), f, clearError());
            throwIfError("get " + feature);
            return v;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    synchronized void setFloat(String feature, double value) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            call(feature + "=" + value, () -> { lib.cameraSetFloat.invokeExact(handle(), f, value, clearError()); });
        }
    }

    synchronized double getFloat(String feature) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            return dbl("get " + feature, () -> (double) lib.cameraGetFloat.invokeExact(handle(), f, clearError()));
        }
    }

    synchronized void setBoolean(String feature, boolean value) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            int v = value ? 1 : 0;
            call(feature + "=" + value, () -> { lib.cameraSetBoolean.invokeExact(handle(), f, v, clearError()); });
        }
    }

    synchronized boolean getBoolean(String feature) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(feature);
            int v = (int) lib.cameraGetBoolean.invokeExact(handle(), f, clearError());
            throwIfError("get " + feature);
            return v != 0;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    synchronized void execute(String command) throws CameraException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocateFrom(command);
            call(command, () -> { lib.cameraExecuteCommand.invokeExact(handle(), f, clearError()); });
        }
    }

    /**
     * Sets any feature from its text form, converted by the feature's type (what {@code CameraSettings.features}
     * and recipes carry). Booleans accept true/false/1/0/on/off; commands ignore the value and execute.
     */
    synchronized void setFeature(String feature, String value) throws CameraException {
        FeatureKind kind = featureKind(feature);
        try {
            switch (kind) {
                case INTEGER -> setInteger(feature, Long.decode(value.trim()));
                case FLOAT -> setFloat(feature, Double.parseDouble(value.trim()));
                case BOOLEAN -> setBoolean(feature, parseBoolean(feature, value));
                case COMMAND -> execute(feature);
                case ENUMERATION, STRING, OTHER -> setString(feature, value);
            }
        } catch (NumberFormatException e) {
            throw new CameraException(CameraException.Code.BAD_SETTING, "genicam: feature " + feature + " is "
                    + kind.name().toLowerCase(Locale.ROOT) + ", cannot take '" + value + "'");
        }
    }

    /** Any feature's value as text (commands have none: empty). */
    synchronized String getFeature(String feature) throws CameraException {
        return switch (featureKind(feature)) {
            case INTEGER -> Long.toString(getInteger(feature));
            case FLOAT -> Double.toString(getFloat(feature));
            case BOOLEAN -> Boolean.toString(getBoolean(feature));
            case COMMAND -> "";
            case ENUMERATION, STRING, OTHER -> getString(feature);
        };
    }

    static boolean parseBoolean(String feature, String value) throws CameraException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "on", "yes" -> true;
            case "false", "0", "off", "no" -> false;
            default -> throw new CameraException(CameraException.Code.BAD_SETTING,
                    "genicam: feature " + feature + " is boolean, cannot take '" + value + "'");
        };
    }

    /** A new stream on this camera (GigE: its own UDP socket and receive thread); NULL never returned. */
    synchronized MemorySegment createStream() throws CameraException {
        try {
            MemorySegment s = (MemorySegment) lib.cameraCreateStream.invokeExact(handle(), MemorySegment.NULL,
                    MemorySegment.NULL, clearError());
            throwIfError("create stream");
            if (s.equals(MemorySegment.NULL)) {
                throw new CameraException(CameraException.Code.DEVICE_ERROR, "genicam: " + deviceId + ": no stream");
            }
            return s;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Runs {@code action} on Aravis' heartbeat thread when the device stops answering; returns the key. */
    synchronized long onControlLost(Runnable action) throws CameraException {
        long key = lib.registerControlLost(action);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment device = (MemorySegment) lib.cameraGetDevice.invokeExact(handle());
            long id = (long) lib.gSignalConnectData.invokeExact(device, a.allocateFrom("control-lost"),
                    lib.controlLostStub, MemorySegment.ofAddress(key), MemorySegment.NULL, 0);
            if (id == 0) {
                lib.unregisterControlLost(key);
                throw new CameraException(CameraException.Code.DEVICE_ERROR, "genicam: cannot watch " + deviceId);
            }
            return key;
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            lib.unregisterControlLost(key);
            throw unexpected(t);
        }
    }

    /** Frees the camera (closes its control channel). Idempotent. */
    @Override
    public synchronized void close() {
        if (!cam.equals(MemorySegment.NULL)) {
            MemorySegment c = cam;
            cam = MemorySegment.NULL;
            try {
                lib.gObjectUnref.invokeExact(c);
            } catch (Throwable t) {
                throw new IllegalStateException("g_object_unref failed", t);
            }
            arena.close();
        }
    }

    // --- error plumbing ---

    @FunctionalInterface
    private interface NativeCall {
        void run() throws Throwable;
    }

    @FunctionalInterface
    private interface NativeValue<T> {
        T get() throws Throwable;
    }

    private MemorySegment clearError() {
        errorSlot.set(ADDRESS, 0, MemorySegment.NULL);
        return errorSlot;
    }

    private void call(String what, NativeCall c) throws CameraException {
        try {
            c.run();
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
        throwIfError(what);
    }

    private double dbl(String what, NativeValue<Double> c) throws CameraException {
        double v;
        try {
            v = c.get();
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
        throwIfError(what);
        return v;
    }

    private String string(String what, NativeValue<MemorySegment> c) throws CameraException {
        MemorySegment p;
        try {
            p = c.get();
        } catch (CameraException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
        throwIfError(what);
        return cString(p);
    }

    private void throwIfError(String what) throws CameraException {
        CameraException e = takeError(lib, errorSlot, deviceId + ": " + what);
        if (e != null) {
            throw e;
        }
    }

    /** Reads and frees the GError in {@code slot}, if any, as a CameraException. */
    static @org.jspecify.annotations.Nullable CameraException takeError(ArvLib lib, MemorySegment slot, String what) {
        MemorySegment err = slot.get(ADDRESS, 0);
        if (err.equals(MemorySegment.NULL)) {
            return null;
        }
        slot.set(ADDRESS, 0, MemorySegment.NULL);
        MemorySegment e = err.reinterpret(16);
        int domain = e.get(JAVA_INT, 0);
        int code = e.get(JAVA_INT, 4);
        String message = cString(e.get(ADDRESS, 8));
        String domainName;
        try {
            domainName = cString((MemorySegment) lib.gQuarkToString.invokeExact(domain));
            lib.gErrorFree.invokeExact(err);
        } catch (Throwable t) {
            domainName = "?";
        }
        return new CameraException(ArvErrors.codeFor(domainName, code), "genicam: " + what + ": " + message);
    }

    static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    static CameraException unexpected(Throwable t) {
        return new CameraException(CameraException.Code.DEVICE_ERROR, "genicam: native call failed: " + t, t);
    }
}
