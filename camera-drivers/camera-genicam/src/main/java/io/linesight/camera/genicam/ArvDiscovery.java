/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Aravis' process-wide device list. Its functions share global state that is not thread-safe, so every use goes
 * through this class's lock.
 */
final class ArvDiscovery {
    private static final Object LOCK = new Object();
    private static volatile boolean fakeEnabled;

    private ArvDiscovery() {
    }

    /** Adds the in-process fake interface ("Fake_1") to discovery, for this process, once. */
    static void enableFake(ArvLib lib) throws CameraException {
        synchronized (LOCK) {
            if (fakeEnabled) {
                return;
            }
            try (Arena a = Arena.ofConfined()) {
                lib.enableInterface.invokeExact(a.allocateFrom("Fake"));
                fakeEnabled = true;
            } catch (Throwable t) {
                throw ArvCamera.unexpected(t);
            }
        }
    }

    /** One discovery round (GigE: a broadcast, about a second), then the cameras it found. */
    static List<CameraInfo> devices(ArvLib lib) throws CameraException {
        synchronized (LOCK) {
            try {
                lib.updateDeviceList.invokeExact();
                int n = (int) lib.getNDevices.invokeExact();
                List<CameraInfo> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(new CameraInfo("genicam", str(lib.getDeviceId, i), str(lib.getDeviceVendor, i),
                            str(lib.getDeviceModel, i), str(lib.getDeviceSerial, i), str(lib.getDeviceAddress, i)));
                }
                return out;
            } catch (Throwable t) {
                throw ArvCamera.unexpected(t);
            }
        }
    }

    private static String str(MethodHandle h, int index) throws Throwable {
        return ArvCamera.cString((MemorySegment) h.invokeExact(index));
    }

    /**
     * The discovered camera that {@code device} names: by Aravis id, serial number, address, or "vendor-serial";
     * null or blank takes the only camera there is. Returns null when none matches (user ids are then tried by
     * the caller, which has to connect to read them).
     */
    static @org.jspecify.annotations.Nullable CameraInfo match(List<CameraInfo> found,
            @org.jspecify.annotations.Nullable String device) throws CameraException {
        if (device == null || device.isBlank()) {
            if (found.size() == 1) {
                return found.getFirst();
            }
            throw new CameraException(CameraException.Code.NOT_CONNECTED, found.isEmpty()
                    ? "genicam: no camera found"
                    : "genicam: " + found.size() + " cameras found, set cameras[].device to one of "
                            + found.stream().map(CameraInfo::id).toList());
        }
        String d = device.trim();
        for (CameraInfo c : found) {
            if (d.equals(c.id()) || d.equals(c.serial()) || d.equals(c.address())
                    || d.equals(c.vendor() + "-" + c.serial())) {
                return c;
            }
        }
        return null;
    }
}
