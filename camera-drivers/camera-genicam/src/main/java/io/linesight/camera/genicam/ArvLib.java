/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The raw downcall handles into {@code libaravis-0.8.so.0} and the few GLib/GObject functions it needs, bound with
 * the FFM API. Nothing here checks errors or owns memory: {@link Aravis} and the classes around it are the typed,
 * safe layer. Loaded once, lazily, by {@link #get()}; a missing library is reported, never thrown from a static
 * initialiser, so the station runs without Aravis.
 *
 * <p>Signatures follow the Aravis 0.8 headers (gint → int, guint64/gint64/size_t → long, gboolean → int).
 */
// binding C is what this class is for: the restricted FFM calls are intended (run with --enable-native-access)
@SuppressWarnings("restricted")
final class ArvLib {
    static final String LIBRARY = "libaravis-0.8.so.0";
    static final String MISSING = "genicam: libaravis-0.8 not found (install libaravis-0.8-0)";

    /** ArvBufferStatus: only SUCCESS means every packet of the image arrived. */
    static final int BUFFER_STATUS_SUCCESS = 0;
    /** ArvGvStreamOption. */
    static final int GV_STREAM_OPTION_NONE = 0;
    static final int GV_STREAM_OPTION_PACKET_SOCKET_DISABLED = 1;
    /** ArvGvStreamSocketBuffer. */
    static final int GV_STREAM_SOCKET_BUFFER_FIXED = 0;

    private static final Linker LINKER = Linker.nativeLinker();

    // discovery
    final MethodHandle enableInterface;
    final MethodHandle updateDeviceList;
    final MethodHandle getNDevices;
    final MethodHandle getDeviceId;
    final MethodHandle getDevicePhysicalId;
    final MethodHandle getDeviceVendor;
    final MethodHandle getDeviceModel;
    final MethodHandle getDeviceSerial;
    final MethodHandle getDeviceAddress;
    final MethodHandle getDeviceProtocol;
    // camera
    final MethodHandle cameraNew;
    final MethodHandle cameraGetDevice;
    final MethodHandle cameraCreateStream;
    final MethodHandle cameraSetRegion;
    final MethodHandle cameraGetRegion;
    final MethodHandle cameraSetPixelFormatFromString;
    final MethodHandle cameraGetPixelFormatAsString;
    final MethodHandle cameraSetExposureTime;
    final MethodHandle cameraGetExposureTime;
    final MethodHandle cameraSetGain;
    final MethodHandle cameraGetGain;
    final MethodHandle cameraSetFrameRate;
    final MethodHandle cameraSetTrigger;
    final MethodHandle cameraClearTriggers;
    final MethodHandle cameraSoftwareTrigger;
    final MethodHandle cameraStartAcquisition;
    final MethodHandle cameraStopAcquisition;
    final MethodHandle cameraAbortAcquisition;
    final MethodHandle cameraGetPayload;
    final MethodHandle cameraIsGvDevice;
    final MethodHandle cameraGvSetStreamOptions;
    final MethodHandle cameraGvSetPacketSize;
    final MethodHandle cameraGvSetPacketDelay;
    final MethodHandle cameraIsFeatureAvailable;
    final MethodHandle cameraSetString;
    final MethodHandle cameraGetString;
    final MethodHandle cameraSetInteger;
    final MethodHandle cameraGetInteger;
    final MethodHandle cameraSetFloat;
    final MethodHandle cameraGetFloat;
    final MethodHandle cameraSetBoolean;
    final MethodHandle cameraGetBoolean;
    final MethodHandle cameraExecuteCommand;
    final MethodHandle deviceGetFeature;
    final MethodHandle domNodeGetNodeName;
    // stream and buffers
    final MethodHandle bufferNewFull;
    final MethodHandle bufferGetStatus;
    final MethodHandle bufferGetData;
    final MethodHandle bufferGetUserData;
    final MethodHandle bufferGetImageWidth;
    final MethodHandle bufferGetImageHeight;
    final MethodHandle bufferGetImagePixelFormat;
    final MethodHandle bufferGetFrameId;
    final MethodHandle bufferGetTimestamp;
    final MethodHandle streamPushBuffer;
    final MethodHandle streamTimeoutPopBuffer;
    final MethodHandle streamTryPopBuffer;
    final MethodHandle streamGetStatistics;
    // GLib / GObject
    final MethodHandle gObjectUnref;
    final MethodHandle gObjectSetInt;
    final MethodHandle gObjectClassFindProperty;
    final MethodHandle gSignalConnectData;
    final MethodHandle gErrorFree;
    final MethodHandle gQuarkToString;

    /** One upcall stub for every camera's "control-lost" signal; user_data is a key into {@link #controlLost}. */
    final MemorySegment controlLostStub;
    private final Map<Long, Runnable> controlLost = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong(1);

    private ArvLib(SymbolLookup arv, SymbolLookup gobject, SymbolLookup glib) throws ReflectiveOperationException {
        enableInterface = fn(arv, "arv_enable_interface", FunctionDescriptor.ofVoid(ADDRESS));
        updateDeviceList = fn(arv, "arv_update_device_list", FunctionDescriptor.ofVoid());
        getNDevices = fn(arv, "arv_get_n_devices", FunctionDescriptor.of(JAVA_INT));
        getDeviceId = fn(arv, "arv_get_device_id", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getDevicePhysicalId = fn(arv, "arv_get_device_physical_id", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getDeviceVendor = fn(arv, "arv_get_device_vendor", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getDeviceModel = fn(arv, "arv_get_device_model", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getDeviceSerial = fn(arv, "arv_get_device_serial_nbr", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getDeviceAddress = fn(arv, "arv_get_device_address", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        getDeviceProtocol = fn(arv, "arv_get_device_protocol", FunctionDescriptor.of(ADDRESS, JAVA_INT));

        cameraNew = fn(arv, "arv_camera_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        cameraGetDevice = fn(arv, "arv_camera_get_device", FunctionDescriptor.of(ADDRESS, ADDRESS));
        cameraCreateStream = fn(arv, "arv_camera_create_stream",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        cameraSetRegion = fn(arv, "arv_camera_set_region",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        cameraGetRegion = fn(arv, "arv_camera_get_region",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        cameraSetPixelFormatFromString = fn(arv, "arv_camera_set_pixel_format_from_string",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        cameraGetPixelFormatAsString = fn(arv, "arv_camera_get_pixel_format_as_string",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        cameraSetExposureTime = fn(arv, "arv_camera_set_exposure_time",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_DOUBLE, ADDRESS));
        cameraGetExposureTime = fn(arv, "arv_camera_get_exposure_time", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, ADDRESS));
        cameraSetGain = fn(arv, "arv_camera_set_gain", FunctionDescriptor.ofVoid(ADDRESS, JAVA_DOUBLE, ADDRESS));
        cameraGetGain = fn(arv, "arv_camera_get_gain", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, ADDRESS));
        cameraSetFrameRate = fn(arv, "arv_camera_set_frame_rate", FunctionDescriptor.ofVoid(ADDRESS, JAVA_DOUBLE, ADDRESS));
        cameraSetTrigger = fn(arv, "arv_camera_set_trigger", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        cameraClearTriggers = fn(arv, "arv_camera_clear_triggers", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        cameraSoftwareTrigger = fn(arv, "arv_camera_software_trigger", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        cameraStartAcquisition = fn(arv, "arv_camera_start_acquisition", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        cameraStopAcquisition = fn(arv, "arv_camera_stop_acquisition", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        cameraAbortAcquisition = fn(arv, "arv_camera_abort_acquisition", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        cameraGetPayload = fn(arv, "arv_camera_get_payload", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cameraIsGvDevice = fn(arv, "arv_camera_is_gv_device", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        cameraGvSetStreamOptions = fn(arv, "arv_camera_gv_set_stream_options",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        cameraGvSetPacketSize = fn(arv, "arv_camera_gv_set_packet_size",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS));
        cameraGvSetPacketDelay = fn(arv, "arv_camera_gv_set_packet_delay",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS));
        cameraIsFeatureAvailable = fn(arv, "arv_camera_is_feature_available",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cameraSetString = fn(arv, "arv_camera_set_string",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        cameraGetString = fn(arv, "arv_camera_get_string", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        cameraSetInteger = fn(arv, "arv_camera_set_integer",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        cameraGetInteger = fn(arv, "arv_camera_get_integer", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS));
        cameraSetFloat = fn(arv, "arv_camera_set_float",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_DOUBLE, ADDRESS));
        cameraGetFloat = fn(arv, "arv_camera_get_float", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, ADDRESS, ADDRESS));
        cameraSetBoolean = fn(arv, "arv_camera_set_boolean",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        cameraGetBoolean = fn(arv, "arv_camera_get_boolean", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cameraExecuteCommand = fn(arv, "arv_camera_execute_command",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        deviceGetFeature = fn(arv, "arv_device_get_feature", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        domNodeGetNodeName = fn(arv, "arv_dom_node_get_node_name", FunctionDescriptor.of(ADDRESS, ADDRESS));

        bufferNewFull = fn(arv, "arv_buffer_new_full",
                FunctionDescriptor.of(ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS));
        bufferGetStatus = fn(arv, "arv_buffer_get_status", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        bufferGetData = fn(arv, "arv_buffer_get_data", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        bufferGetUserData = fn(arv, "arv_buffer_get_user_data", FunctionDescriptor.of(ADDRESS, ADDRESS));
        bufferGetImageWidth = fn(arv, "arv_buffer_get_image_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        bufferGetImageHeight = fn(arv, "arv_buffer_get_image_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        bufferGetImagePixelFormat = fn(arv, "arv_buffer_get_image_pixel_format", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        bufferGetFrameId = fn(arv, "arv_buffer_get_frame_id", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        bufferGetTimestamp = fn(arv, "arv_buffer_get_timestamp", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        streamPushBuffer = fn(arv, "arv_stream_push_buffer", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        streamTimeoutPopBuffer = fn(arv, "arv_stream_timeout_pop_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG));
        streamTryPopBuffer = fn(arv, "arv_stream_try_pop_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        streamGetStatistics = fn(arv, "arv_stream_get_statistics",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS));

        gObjectUnref = fn(gobject, "g_object_unref", FunctionDescriptor.ofVoid(ADDRESS));
        // g_object_set (object, "name", int value, NULL): variadic from the third argument
        gObjectSetInt = LINKER.downcallHandle(find(gobject, "g_object_set"),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT, ADDRESS), Linker.Option.firstVariadicArg(2));
        gObjectClassFindProperty = fn(gobject, "g_object_class_find_property",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        gSignalConnectData = fn(gobject, "g_signal_connect_data",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        gErrorFree = fn(glib, "g_error_free", FunctionDescriptor.ofVoid(ADDRESS));
        gQuarkToString = fn(glib, "g_quark_to_string", FunctionDescriptor.of(ADDRESS, JAVA_INT));

        MethodHandle onLost = MethodHandles.lookup().findVirtual(ArvLib.class, "onControlLost",
                MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
        controlLostStub = LINKER.upcallStub(onLost, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), Arena.global());
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }

    private static MethodHandle fn(SymbolLookup lookup, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(find(lookup, name), fd);
    }

    /** Registers what to run when a device emits "control-lost"; returns the user_data key for the signal. */
    long registerControlLost(Runnable action) {
        long key = nextKey.getAndIncrement();
        controlLost.put(key, action);
        return key;
    }

    void unregisterControlLost(long key) {
        controlLost.remove(key);
    }

    /** Called by Aravis on its heartbeat thread: must return quickly and never throw into native code. */
    @SuppressWarnings("unused")
    private void onControlLost(MemorySegment device, MemorySegment userData) {
        try {
            Runnable r = controlLost.get(userData.address());
            if (r != null) {
                r.run();
            }
        } catch (Throwable t) {
            // nothing may cross back into C; the driver's own watchdog still sees the dead stream
        }
    }

    // --- loading ---

    private static final class Holder {
        static final @Nullable ArvLib LIB;
        static final String REASON;

        static {
            ArvLib lib = null;
            String reason = "";
            try {
                Arena global = Arena.global();
                SymbolLookup arv = SymbolLookup.libraryLookup(LIBRARY, global);
                SymbolLookup gobject = SymbolLookup.libraryLookup("libgobject-2.0.so.0", global);
                SymbolLookup glib = SymbolLookup.libraryLookup("libglib-2.0.so.0", global);
                lib = new ArvLib(arv, gobject, glib);
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                reason = MISSING;
            } catch (IllegalCallerException e) {
                reason = "genicam: native access is disabled; run with --enable-native-access=ALL-UNNAMED";
            } catch (ReflectiveOperationException | RuntimeException e) {
                reason = "genicam: cannot bind " + LIBRARY + ": " + e;
            }
            LIB = lib;
            REASON = reason;
        }
    }

    /** The bound library, or null when it is missing (see {@link #unavailableReason()}). */
    static @Nullable ArvLib orNull() {
        return Holder.LIB;
    }

    static String unavailableReason() {
        return Holder.REASON;
    }
}
