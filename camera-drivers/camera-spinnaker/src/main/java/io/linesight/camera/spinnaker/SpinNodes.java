/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.bytedeco.spinnaker.global.Spinnaker_C.spinBooleanSetValue;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCommandExecute;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinEnumerationEntryGetIntValue;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinEnumerationGetEntryByName;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinEnumerationSetIntValue;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinErrorGetLastMessage;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinFloatGetValue;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinFloatSetValue;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinIntegerSetValue;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinNodeFromString;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinNodeIsAvailable;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinNodeIsWritable;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinNodeMapGetNode;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinNodeToString;

import io.linesight.camera.api.CameraException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.spinnaker.Spinnaker_C.spinNodeHandle;
import org.bytedeco.spinnaker.Spinnaker_C.spinNodeMapHandle;

/**
 * Executes {@link NodeWrite}s and reads nodes on one Spinnaker node map. Only loaded once the SDK is known to be
 * installed (this class links the presets).
 */
final class SpinNodes {
    private final spinNodeMapHandle map;
    private final String camera;

    SpinNodes(spinNodeMapHandle map, String camera) {
        this.map = map;
        this.camera = camera;
    }

    static void check(int error, String camera, String what) throws CameraException {
        if (error != SpinErrors.SUCCESS) {
            throw SpinErrors.exception(error, camera, what, lastMessage());
        }
    }

    static String lastMessage() {
        try (BytePointer buf = new BytePointer(512); SizeTPointer len = new SizeTPointer(1)) {
            len.put(512);
            return spinErrorGetLastMessage(buf, len).value == SpinErrors.SUCCESS ? buf.getString() : "";
        }
    }

    /** The node, or null when the device has no such node or it is not available now. */
    spinNodeHandle node(String name) {
        spinNodeHandle n = new spinNodeHandle();
        if (spinNodeMapGetNode(map, name, n) != SpinErrors.SUCCESS || n.isNull()) {
            return null;
        }
        byte[] ok = new byte[1];
        if (spinNodeIsAvailable(n, ok).value != SpinErrors.SUCCESS || ok[0] == 0) {
            return null;
        }
        return n;
    }

    void apply(NodeWrite w) throws CameraException {
        spinNodeHandle n = node(w.node());
        if (n == null) {
            if (w.optional()) {
                return;
            }
            throw new CameraException(CameraException.Code.BAD_SETTING,
                    "spinnaker: cameras[" + camera + "] has no feature '" + w.node() + "'");
        }
        byte[] writable = new byte[1];
        check(spinNodeIsWritable(n, writable).value, camera, "check " + w.node());
        if (writable[0] == 0) {
            if (w.optional()) {
                return;
            }
            throw new CameraException(CameraException.Code.BAD_SETTING,
                    "spinnaker: cameras[" + camera + "]: feature '" + w.node() + "' is not writable now");
        }
        String what = "set " + w;
        try {
            switch (w.kind()) {
                case FLOAT -> check(spinFloatSetValue(n, Double.parseDouble(w.value())).value, camera, what);
                case INTEGER -> check(spinIntegerSetValue(n, Long.parseLong(w.value())).value, camera, what);
                case BOOLEAN -> check(spinBooleanSetValue(n, (byte) (Boolean.parseBoolean(w.value()) ? 1 : 0)).value,
                        camera, what);
                case COMMAND -> check(spinCommandExecute(n).value, camera, what);
                case ENUM -> {
                    spinNodeHandle entry = new spinNodeHandle();
                    check(spinEnumerationGetEntryByName(n, w.value(), entry), camera, what);
                    long[] v = new long[1];
                    check(spinEnumerationEntryGetIntValue(entry, v).value, camera, what);
                    check(spinEnumerationSetIntValue(n, v[0]).value, camera, what);
                }
                case ANY -> {
                    try (BytePointer s = new BytePointer(w.value())) {
                        check(spinNodeFromString(n, s).value, camera, what);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new CameraException(CameraException.Code.BAD_SETTING,
                    "spinnaker: cameras[" + camera + "]: " + what + ": not a number");
        }
    }

    double readFloat(String name) throws CameraException {
        spinNodeHandle n = node(name);
        if (n == null) {
            return Double.NaN;
        }
        double[] v = new double[1];
        check(spinFloatGetValue(n, v).value, camera, "get " + name);
        return v[0];
    }

    /** Any node as text (GenICam ToString), empty when absent. */
    String readString(String name) throws CameraException {
        spinNodeHandle n = node(name);
        if (n == null) {
            return "";
        }
        try (BytePointer buf = new BytePointer(256); SizeTPointer len = new SizeTPointer(1)) {
            len.put(256);
            check(spinNodeToString(n, buf, len).value, camera, "get " + name);
            return buf.getString();
        }
    }
}
