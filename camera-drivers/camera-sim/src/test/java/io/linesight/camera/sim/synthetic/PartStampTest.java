/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class PartStampTest {
    private static final int W = 1280;
    private static final int H = 1024;

    /** A demo-sized frame of part {@code partId}, rendered as the camera renders it. */
    private static byte[] frame(String partId, double exposureUs) {
        SyntheticRenderer r = new SyntheticRenderer(W, H, PixelFormat.MONO8, 7, 0.5);
        ByteBuffer dst = ByteBuffer.allocate(W * H);
        long key = PartGenerator.partKey(partId);
        r.render(key, exposureUs, PartGenerator.mix(key, 1), dst);
        return dst.array();
    }

    @Test
    void renderedFrame_readsBackAsItsPartsId_atEveryExposure() {
        for (double exposure : new double[] {1000, 600, 200, 5000}) {
            assertThat(PartStamp.read(frame("P-000042", exposure), W, H)).contains(PartStamp.idOf("P-000042"));
        }
    }

    @Test
    void framesOfOtherParts_readAsOtherIds() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "T20261202-072914-" + String.format("%06d", i);
            Optional<Long> read = PartStamp.read(frame(id, 1000), W, H);
            assertThat(read).contains(PartStamp.idOf(id));
            ids.add(read.orElseThrow());
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void mono16Frame_readsBack() {
        SyntheticRenderer r = new SyntheticRenderer(W, H, PixelFormat.MONO16, 7, 0.5);
        ByteBuffer dst = ByteBuffer.allocate(W * H * 2);
        long key = PartStamp.idOf("wide");
        r.render(key, 1000, 3, dst);
        assertThat(PartStamp.read(dst, W, H)).contains(key);
    }

    @Test
    void heavyNoiseAndStrayPixels_stillReadTheRightId() {
        byte[] px = frame("noisy-part", 1000);
        Random rnd = new Random(5);
        for (int i = 0; i < px.length; i++) {
            // Gaussian noise of sigma 20 on top of the sensor's, and 2 % of pixels stuck black or white
            int v = (px[i] & 0xff) + (int) Math.round(rnd.nextGaussian() * 20);
            if (rnd.nextInt(50) == 0) {
                v = rnd.nextBoolean() ? 0 : 255;
            }
            px[i] = (byte) Math.clamp(v, 0, 255);
        }
        assertThat(PartStamp.read(px, W, H)).contains(PartStamp.idOf("noisy-part"));
    }

    @Test
    void damagedStamp_givesNoIdRatherThanAWrongOne() {
        byte[] px = frame("damaged", 1000);
        PartStamp.Strip s = PartStamp.strip(W, H);
        // flip one data cell (cell 10) by copying the pixels of a cell of the other value over it
        boolean[] cells = PartStamp.cells(PartStamp.idOf("damaged"));
        int other = 10;
        while (cells[other] == cells[10]) {
            other++;
        }
        for (int y = 0; y < PartStamp.CELL; y++) {
            System.arraycopy(px, (s.cellY(other) + y) * W + s.cellX(other), px, (s.cellY(10) + y) * W + s.cellX(10),
                    PartStamp.CELL);
        }
        assertThat(PartStamp.read(px, W, H)).isEmpty();
    }

    @Test
    void imageWithoutAStamp_givesNoId() {
        byte[] flat = new byte[W * H];
        Random rnd = new Random(1);
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (byte) (40 + rnd.nextInt(7) - 3);
        }
        assertThat(PartStamp.read(flat, W, H)).isEmpty();
        assertThat(PartStamp.read(new byte[64 * 48], 64, 48)).as("too small for a strip").isEmpty();
    }

    @Test
    void smallFrames_whereTheStripWouldTouchThePart_carryNoStamp() {
        assertThat(new SyntheticRenderer(160, 128, PixelFormat.MONO8, 1, 0).stamped()).isFalse();
        assertThat(new SyntheticRenderer(320, 256, PixelFormat.MONO8, 1, 0).stamped()).isTrue();
        assertThat(new SyntheticRenderer(W, H, PixelFormat.MONO8, 1, 0).stamped()).isTrue();
    }

    @Test
    void bufferOfTheWrongSize_isRefusedNamingTheSizes() {
        assertThatThrownBy(() -> PartStamp.read(ByteBuffer.allocate(100), 20, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 bytes").hasMessageContaining("20x20");
    }

    @Test
    void crc_isCcittFalse() {
        // CRC-16/CCITT-FALSE of the ASCII bytes "12345678" (the same algorithm gives the catalogue's check value
        // 0x29B1 for "123456789")
        assertThat(PartStamp.crc16(0x3132333435363738L)).isEqualTo(0xA12B);
    }

    /** The strip must stay out of what the demo recipe inspects: its rules' ROIs and the part itself. */
    @Test
    void strip_liesOutsideEveryRoiOfTheDemoRecipe_andBelowEveryPart() throws Exception {
        PartStamp.Strip s = PartStamp.strip(W, H);
        SyntheticPartLayout nominal = SyntheticPartLayout.of(W, H);
        assertThat(s.y()).isGreaterThanOrEqualTo(nominal.plateY() + nominal.plateHeight() + nominal.jitterMax());
        Path recipe = RepoFiles.find("station-app/core/src/main/resources/demo/recipes/bracket.yaml");
        Assumptions.assumeTrue(recipe != null, "demo recipe not found next to this module: ROI check skipped");
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(recipe));
        List<?> rules = (List<?>) ((Map<?, ?>) doc).get("rules");
        assertThat(rules).isNotEmpty();
        for (Object rule : rules) {
            Map<?, ?> roi = (Map<?, ?>) ((Map<?, ?>) rule).get("roi");
            int x = ((Number) roi.get("x")).intValue();
            int y = ((Number) roi.get("y")).intValue();
            int w = ((Number) roi.get("width")).intValue();
            int h = ((Number) roi.get("height")).intValue();
            boolean apart = x + w <= s.x() || s.x() + s.columns() * PartStamp.CELL <= x || y + h <= s.y() || s.bottom() <= y;
            assertThat(apart).as("ROI of rule %s", ((Map<?, ?>) rule).get("name")).isTrue();
        }
    }
}
