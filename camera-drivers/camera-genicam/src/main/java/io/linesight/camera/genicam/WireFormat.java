/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.config.PixelFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a camera's pixels arrive on the wire (GenICam PFNC names and codes), and how each becomes the pipeline's
 * format: Mono8 and the 16-bit unpacked formats are copied as they are; the packed 10/12-bit formats are unpacked
 * into 16-bit little-endian pixels.
 */
enum WireFormat {
    MONO8("Mono8", 0x01080001, PixelFormat.MONO8),
    MONO10("Mono10", 0x01100003, PixelFormat.MONO10),
    /** GigE Vision packing: 2 pixels in 3 bytes, the 8 high bits of each in bytes 0 and 2, low bits in byte 1. */
    MONO10_PACKED("Mono10Packed", 0x010C0004, PixelFormat.MONO10),
    /** PFNC LSB-first bit stream: 4 pixels in 5 bytes. */
    MONO10P("Mono10p", 0x010A0046, PixelFormat.MONO10),
    MONO12("Mono12", 0x01100005, PixelFormat.MONO12),
    MONO12_PACKED("Mono12Packed", 0x010C0006, PixelFormat.MONO12),
    /** PFNC LSB-first bit stream: 2 pixels in 3 bytes. */
    MONO12P("Mono12p", 0x010C0047, PixelFormat.MONO12),
    MONO16("Mono16", 0x01100007, PixelFormat.MONO16);

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String pfnc;
    private final int code;
    private final PixelFormat target;

    WireFormat(String pfnc, int code, PixelFormat target) {
        this.pfnc = pfnc;
        this.code = code;
        this.target = target;
    }

    String pfncName() {
        return pfnc;
    }

    int pfncCode() {
        return code;
    }

    PixelFormat target() {
        return target;
    }

    boolean packed() {
        return this == MONO10_PACKED || this == MONO10P || this == MONO12_PACKED || this == MONO12P;
    }

    /** Bytes on the wire for {@code pixels} pixels (without padding or chunks). */
    long wireBytes(long pixels) {
        return switch (this) {
            case MONO8 -> pixels;
            case MONO10, MONO12, MONO16 -> pixels * 2;
            case MONO10_PACKED, MONO12_PACKED, MONO12P -> (pixels * 3 + 1) / 2;
            case MONO10P -> (pixels * 10 + 7) / 8;
        };
    }

    /** The formats to ask a camera for, preferred first, to deliver {@code format}. */
    static List<WireFormat> candidatesFor(PixelFormat format) {
        return switch (format) {
            case MONO8 -> List.of(MONO8);
            case MONO10 -> List.of(MONO10, MONO10P, MONO10_PACKED);
            case MONO12 -> List.of(MONO12, MONO12P, MONO12_PACKED);
            case MONO16 -> List.of(MONO16);
        };
    }

    /** The wire format with this PFNC name (case-insensitive), or null. */
    static @Nullable WireFormat byName(String pfnc) {
        for (WireFormat w : values()) {
            if (w.pfnc.toLowerCase(Locale.ROOT).equals(pfnc.trim().toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        return null;
    }

    static @Nullable WireFormat byCode(int code) {
        for (WireFormat w : values()) {
            if (w.code == code) {
                return w;
            }
        }
        return null;
    }

    /**
     * Writes {@code pixels} pixels from {@code src} (this wire format) into {@code dst} in the target format:
     * one byte per pixel for Mono8, else 16-bit little-endian. A short source (incomplete frame) fills what it has
     * and leaves the rest of {@code dst} as it was.
     */
    void convert(MemorySegment src, MemorySegment dst, long pixels) {
        switch (this) {
            case MONO8 -> MemorySegment.copy(src, 0, dst, 0, Math.min(pixels, src.byteSize()));
            case MONO10, MONO12, MONO16 -> MemorySegment.copy(src, 0, dst, 0, Math.min(pixels * 2, src.byteSize() & ~1L));
            case MONO12P -> unpack12p(src, dst, pixels);
            case MONO12_PACKED -> unpack12Packed(src, dst, pixels);
            case MONO10P -> unpack10p(src, dst, pixels);
            case MONO10_PACKED -> unpack10Packed(src, dst, pixels);
        }
    }

    private static int b(MemorySegment s, long i) {
        return s.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
    }

    private static void put(MemorySegment d, long pixel, int value) {
        d.set(U16, pixel * 2, (short) value);
    }

    private static void unpack12p(MemorySegment s, MemorySegment d, long pixels) {
        long avail = s.byteSize();
        for (long p = 0, i = 0; p < pixels && i + 1 < avail; p += 2, i += 3) {
            int b1 = b(s, i + 1);
            put(d, p, b(s, i) | (b1 & 0x0F) << 8);
            if (p + 1 < pixels && i + 2 < avail) {
                put(d, p + 1, b1 >>> 4 | b(s, i + 2) << 4);
            }
        }
    }

    private static void unpack12Packed(MemorySegment s, MemorySegment d, long pixels) {
        long avail = s.byteSize();
        for (long p = 0, i = 0; p < pixels && i + 1 < avail; p += 2, i += 3) {
            int b1 = b(s, i + 1);
            put(d, p, b(s, i) << 4 | (b1 & 0x0F));
            if (p + 1 < pixels && i + 2 < avail) {
                put(d, p + 1, b(s, i + 2) << 4 | b1 >>> 4);
            }
        }
    }

    private static void unpack10p(MemorySegment s, MemorySegment d, long pixels) {
        long avail = s.byteSize();
        for (long p = 0, i = 0; p < pixels && i + 1 < avail; p += 4, i += 5) {
            long bits = 0;
            for (int k = 0; k < 5 && i + k < avail; k++) {
                bits |= (long) b(s, i + k) << (8 * k);
            }
            for (int k = 0; k < 4 && p + k < pixels; k++) {
                put(d, p + k, (int) (bits >>> (10 * k)) & 0x3FF);
            }
        }
    }

    private static void unpack10Packed(MemorySegment s, MemorySegment d, long pixels) {
        long avail = s.byteSize();
        for (long p = 0, i = 0; p < pixels && i + 1 < avail; p += 2, i += 3) {
            int b1 = b(s, i + 1);
            put(d, p, b(s, i) << 2 | (b1 & 0x03));
            if (p + 1 < pixels && i + 2 < avail) {
                put(d, p + 1, b(s, i + 2) << 2 | (b1 >>> 4 & 0x03));
            }
        }
    }
}
