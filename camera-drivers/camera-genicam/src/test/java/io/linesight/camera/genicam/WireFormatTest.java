/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.PixelFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Unpacking of 10/12-bit packed formats into 16-bit little-endian pixels, checked against a bit-level packer. */
class WireFormatTest {
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** PFNC "p" formats: an LSB-first bit stream of {@code bits}-bit pixels. */
    private static byte[] packLsbFirst(int[] pixels, int bits) {
        byte[] out = new byte[(pixels.length * bits + 7) / 8];
        long bit = 0;
        for (int p : pixels) {
            for (int b = 0; b < bits; b++, bit++) {
                if ((p >>> b & 1) != 0) {
                    out[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
                }
            }
        }
        return out;
    }

    /** GigE Vision Mono10Packed/Mono12Packed: per pixel pair, high bits in bytes 0 and 2, low bits in byte 1. */
    private static byte[] packGigE(int[] pixels, int bits) {
        int low = bits - 8;
        byte[] out = new byte[(pixels.length + 1) / 2 * 3];
        for (int i = 0, o = 0; i < pixels.length; i += 2, o += 3) {
            int p0 = pixels[i];
            int p1 = i + 1 < pixels.length ? pixels[i + 1] : 0;
            out[o] = (byte) (p0 >>> low);
            out[o + 1] = (byte) ((p0 & (1 << low) - 1) | (p1 & (1 << low) - 1) << 4);
            out[o + 2] = (byte) (p1 >>> low);
        }
        return out;
    }

    private static int[] randomPixels(int n, int bits, long seed) {
        Random r = new Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = r.nextInt(1 << bits);
        }
        p[0] = (1 << bits) - 1; // extremes exercise every bit
        p[1] = 0;
        return p;
    }

    private static int[] unpack(WireFormat w, byte[] wire, int n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(wire.length);
            src.copyFrom(MemorySegment.ofArray(wire));
            MemorySegment dst = a.allocate(n * 2L);
            w.convert(src, dst, n);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = Short.toUnsignedInt(dst.get(LE16, i * 2L));
            }
            return out;
        }
    }

    @Test
    void mono12p_unpacksToTheSamePixels() {
        int[] px = randomPixels(1001, 12, 1);
        assertThat(unpack(WireFormat.MONO12P, packLsbFirst(px, 12), px.length)).containsExactly(px);
    }

    @Test
    void mono10p_unpacksToTheSamePixels() {
        int[] px = randomPixels(1003, 10, 2);
        assertThat(unpack(WireFormat.MONO10P, packLsbFirst(px, 10), px.length)).containsExactly(px);
    }

    @Test
    void mono12Packed_gigE_unpacksToTheSamePixels() {
        int[] px = randomPixels(999, 12, 3);
        assertThat(unpack(WireFormat.MONO12_PACKED, packGigE(px, 12), px.length)).containsExactly(px);
    }

    @Test
    void mono10Packed_gigE_unpacksToTheSamePixels() {
        int[] px = randomPixels(998, 10, 4);
        assertThat(unpack(WireFormat.MONO10_PACKED, packGigE(px, 10), px.length)).containsExactly(px);
    }

    @Test
    void unpacked16bitFormats_areCopiedLittleEndian() {
        int[] px = randomPixels(100, 12, 5);
        byte[] wire = new byte[px.length * 2];
        for (int i = 0; i < px.length; i++) {
            wire[2 * i] = (byte) px[i];
            wire[2 * i + 1] = (byte) (px[i] >>> 8);
        }
        assertThat(unpack(WireFormat.MONO12, wire, px.length)).containsExactly(px);
    }

    @Test
    @DisplayName("a short (incomplete) source fills what it has and never reads past its end")
    void shortSource_fillsWhatItHas() {
        int[] px = randomPixels(100, 12, 6);
        byte[] wire = packLsbFirst(px, 12);
        byte[] half = java.util.Arrays.copyOf(wire, wire.length / 2);
        int[] got = unpack(WireFormat.MONO12P, half, px.length);
        assertThat(java.util.Arrays.copyOf(got, 50)).containsExactly(java.util.Arrays.copyOf(px, 50));
    }

    @Test
    void candidates_preferUnpacked_andDeliverTheConfiguredFormat() {
        assertThat(WireFormat.candidatesFor(PixelFormat.MONO12)).first().isEqualTo(WireFormat.MONO12);
        for (PixelFormat f : PixelFormat.values()) {
            assertThat(WireFormat.candidatesFor(f)).allSatisfy(w -> assertThat(w.target()).isEqualTo(f));
        }
    }

    @Test
    void pfncNamesAndCodes_roundTrip() {
        for (WireFormat w : WireFormat.values()) {
            assertThat(WireFormat.byName(w.pfncName().toUpperCase(java.util.Locale.ROOT))).isEqualTo(w);
            assertThat(WireFormat.byCode(w.pfncCode())).isEqualTo(w);
        }
        assertThat(WireFormat.byName("RGB8")).isNull();
        // PFNC: bits per pixel in the code's second byte
        assertThat(WireFormat.MONO12P.pfncCode() >>> 16 & 0xFF).isEqualTo(12);
        assertThat(WireFormat.MONO10P.wireBytes(4)).isEqualTo(5);
        assertThat(WireFormat.MONO12P.wireBytes(2)).isEqualTo(3);
    }
}
