/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraGetTLDeviceNodeMap;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraListClear;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraListCreateEmpty;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraListDestroy;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraListGet;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraListGetSize;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraRelease;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinSystemGetCameras;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinSystemGetInstance;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.spinnaker.Spinnaker_C.spinCamera;
import org.bytedeco.spinnaker.Spinnaker_C.spinCameraList;
import org.bytedeco.spinnaker.Spinnaker_C.spinNodeMapHandle;
import org.bytedeco.spinnaker.Spinnaker_C.spinSystem;
import org.jspecify.annotations.Nullable;

/** The process' one Spinnaker system instance and its camera list. Synchronized: the SDK list is shared state. */
final class SpinnakerSystem {
    private static @Nullable SpinnakerSystem instance;
    private final spinSystem system = new spinSystem();

    private SpinnakerSystem() throws CameraException {
        SpinNodes.check(spinSystemGetInstance(system).value, "-", "spinSystemGetInstance");
    }

    static synchronized SpinnakerSystem get() throws CameraException {
        SpinnakerSystem s = instance;
        if (s == null) {
            s = new SpinnakerSystem();
            instance = s;
        }
        return s;
    }

    /** The cameras the SDK sees now (GigE: after its own discovery). */
    synchronized List<CameraInfo> cameras() throws CameraException {
        List<CameraInfo> out = new ArrayList<>();
        forEach((cam, info, user) -> {
            out.add(info);
            return false;
        });
        return out;
    }

    /** Connects to the camera {@code device} names (serial, user id, IP address or model-serial); null if none. */
    synchronized @Nullable spinCamera find(@Nullable String device, List<CameraInfo> seen) throws CameraException {
        spinCamera[] hit = new spinCamera[1];
        forEach((cam, info, user) -> {
            seen.add(info);
            if (SpinnakerMapping.matches(info, user, device)) {
                hit[0] = cam;
                return true;
            }
            return false;
        });
        return hit[0];
    }

    @FunctionalInterface
    private interface Visitor {
        /** Returns true to keep the camera handle (the caller owns it then). */
        boolean visit(spinCamera cam, CameraInfo info, String userId) throws CameraException;
    }

    private void forEach(Visitor v) throws CameraException {
        spinCameraList list = new spinCameraList();
        SpinNodes.check(spinCameraListCreateEmpty(list).value, "-", "spinCameraListCreateEmpty");
        try (SizeTPointer n = new SizeTPointer(1)) {
            SpinNodes.check(spinSystemGetCameras(system, list).value, "-", "spinSystemGetCameras");
            SpinNodes.check(spinCameraListGetSize(list, n).value, "-", "spinCameraListGetSize");
            for (long i = 0; i < n.get(); i++) {
                spinCamera cam = new spinCamera();
                SpinNodes.check(spinCameraListGet(list, i, cam).value, "-", "spinCameraListGet");
                spinNodeMapHandle tl = new spinNodeMapHandle();
                SpinNodes.check(spinCameraGetTLDeviceNodeMap(cam, tl).value, "-", "spinCameraGetTLDeviceNodeMap");
                SpinNodes nodes = new SpinNodes(tl, "-");
                String serial = nodes.readString("DeviceSerialNumber");
                CameraInfo info = new CameraInfo("spinnaker", serial, nodes.readString("DeviceVendorName"),
                        nodes.readString("DeviceModelName"), serial,
                        SpinnakerMapping.ipv4(nodes.readString("GevDeviceIPAddress")));
                String user = nodes.readString("DeviceUserID");
                if (!v.visit(cam, info, user)) {
                    spinCameraRelease(cam);
                } else {
                    return;
                }
            }
        } finally {
            spinCameraListClear(list);
            spinCameraListDestroy(list);
        }
    }
}
