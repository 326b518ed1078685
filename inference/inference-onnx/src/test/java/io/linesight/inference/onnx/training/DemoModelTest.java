/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.OnnxDetector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo model that {@code training/} produced and the demo ships ({@code station-app/.../demo/recipes/models/
 * bracket-defects.onnx}), loaded by the station's {@link OnnxDetector} on brackets drawn here after the synthetic
 * camera's geometry contract (camera-drivers/camera-sim/README.md, 1280x1024: plate grey 170 at (192, 205) 896x614,
 * holes of radius 37 grey 40, background 40, noise sigma 3), each with one injected defect at a known place. Also
 * checks that ONNX Runtime reproduces PyTorch's output on the fixed input of {@code linesight_train parity}
 * (reference written by the training tool into training/tests/fixtures). Skipped, saying so, where the model file
 * is absent (a checkout without the demo model).
 */
@DisplayName("demo model from the training tool")
class DemoModelTest {
    private static final int W = 1280;
    private static final int H = 1024;
    private static final int PX = 192;
    private static final int PY = 205;
    private static final int PW = 896;
    private static final int PH = 614;
    private static final int HOLE_R = 37;
    private static final double[][] HOLES = {
            {PX + 0.15 * PW, PY + 0.2 * PH}, {PX + 0.85 * PW, PY + 0.2 * PH},
            {PX + 0.15 * PW, PY + 0.8 * PH}, {PX + 0.85 * PW, PY + 0.8 * PH}};
    /** The demo recipe's threshold (chosen on the validation set, docs/MODELS.md). */
    private static final double RECIPE_CONFIDENCE = 0.01;
    /** Injected defects must be found well above it. */
    private static final double CONFIDENT = 0.25;

    private static Path repo;
    private static Path model;

    @BeforeAll
    static void findModel() {
        repo = repoRoot();
        model = repo == null ? null : repo.resolve("station-app/core/src/main/resources/demo/recipes/models/bracket-defects.onnx");
        assumeTrue(model != null && Files.isRegularFile(model),
                "demo model station-app/core/src/main/resources/demo/recipes/models/bracket-defects.onnx is absent: demo model checks skipped");
    }

    private static @Nullable Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("station-app")))) {
            p = p.getParent();
        }
        return p;
    }

    private static ModelSpec spec(double confidence) {
        return new ModelSpec(model.toString(), List.of(), confidence, Map.of(), 0.45, false, 100, List.of(), null,
                System.getProperty("linesight.test.provider", "cpu"), 1, 1, null);
    }

    /** A bracket with an optional defect drawn by {@code defect} on the grey raster (row-major bytes). */
    private static byte[] bracket(int missingHole, @Nullable Painter defect) {
        int[] v = new int[W * H];
        double r = 0.05 * Math.min(PW, PH);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double cx = x + 0.5;
                double cy = y + 0.5;
                boolean plate = cx >= PX && cx < PX + PW && cy >= PY && cy < PY + PH && insideCorners(cx, cy, r);
                int g = plate ? 170 : 40;
                for (int i = 0; i < 4; i++) {
                    if (i != missingHole && Math.hypot(cx - HOLES[i][0], cy - HOLES[i][1]) <= HOLE_R) {
                        g = 40;
                    }
                }
                v[y * W + x] = g;
            }
        }
        if (defect != null) {
            defect.paint(v);
        }
        Random noise = new Random(42);
        byte[] px = new byte[W * H];
        for (int i = 0; i < px.length; i++) {
            long n = Math.round(Math.max(-12, Math.min(12, noise.nextGaussian() * 3)));
            px[i] = (byte) Math.max(0, Math.min(255, v[i] + n));
        }
        return px;
    }

    private static boolean insideCorners(double x, double y, double r) {
        double qx = Math.max(Math.max(PX + r - x, x - (PX + PW - r)), 0);
        double qy = Math.max(Math.max(PY + r - y, y - (PY + PH - r)), 0);
        return qx * qx + qy * qy <= r * r;
    }

    private interface Painter {
        void paint(int[] v);
    }

    /** A 3 px wide line of grey 80 from (x1, y1) to (x2, y2), like the camera's scratch. */
    private static Painter scratch(double x1, double y1, double x2, double y2) {
        return v -> {
            double dx = x2 - x1;
            double dy = y2 - y1;
            double len2 = dx * dx + dy * dy;
            for (int y = (int) Math.min(y1, y2) - 3; y <= (int) Math.max(y1, y2) + 3; y++) {
                for (int x = (int) Math.min(x1, x2) - 3; x <= (int) Math.max(x1, x2) + 3; x++) {
                    double px = x + 0.5;
                    double py = y + 0.5;
                    double t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
                    if (Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy)) <= 1.5) {
                        v[y * W + x] = 80;
                    }
                }
            }
        };
    }

    /** An axis-aligned filled ellipse of grey 95, like the camera's dent. */
    private static Painter dent(double cx, double cy, double rx, double ry) {
        return v -> {
            for (int y = (int) (cy - ry) - 1; y <= (int) (cy + ry) + 1; y++) {
                for (int x = (int) (cx - rx) - 1; x <= (int) (cx + rx) + 1; x++) {
                    double ex = (x + 0.5 - cx) / rx;
                    double ey = (y + 0.5 - cy) / ry;
                    if (ex * ex + ey * ey <= 1) {
                        v[y * W + x] = 95;
                    }
                }
            }
        };
    }

    private static List<Detection> detect(byte[] px, double confidence) throws Exception {
        try (OnnxDetector d = OnnxDetector.open(spec(confidence), model); Frame f = FrameImages.mono8Frame(px, W, H)) {
            assertThat(d.info().layout()).isEqualTo("yolov8");
            assertThat(d.info().channels()).isEqualTo(1);
            assertThat(d.info().classNames()).containsExactly("scratch", "dent", "contamination", "missing_hole");
            return d.detect(f);
        }
    }

    private static void assertFinds(List<Detection> got, String cls, float x1, float y1, float x2, float y2) {
        Detection want = new Detection(x1, y1, x2, y2, -1, cls, 1f);
        assertThat(got).as("detections %s", got)
                .anySatisfy(d -> {
                    assertThat(d.className()).isEqualTo(cls);
                    assertThat(d.iou(want)).isGreaterThanOrEqualTo(0.4f);
                });
    }

    @Test
    void scratch_isFoundWhereItWasDrawn() throws Exception {
        List<Detection> got = detect(bracket(-1, scratch(520, 450, 700, 520)), CONFIDENT);
        assertFinds(got, "scratch", 518.5f, 448.5f, 701.5f, 521.5f);
    }

    @Test
    void dent_isFoundWhereItWasDrawn() throws Exception {
        List<Detection> got = detect(bracket(-1, dent(700, 600, 22, 15)), CONFIDENT);
        assertFinds(got, "dent", 678, 585, 722, 615);
    }

    @Test
    void missingHole_isFoundWhereTheHoleShouldBe() throws Exception {
        List<Detection> got = detect(bracket(1, null), CONFIDENT);
        double[] c = HOLES[1];
        assertFinds(got, "missing_hole", (float) (c[0] - HOLE_R), (float) (c[1] - HOLE_R), (float) (c[0] + HOLE_R),
                (float) (c[1] + HOLE_R));
    }

    @Test
    void goodBracket_hasNoDetectionAtTheRecipeThreshold() throws Exception {
        assertThat(detect(bracket(-1, null), RECIPE_CONFIDENCE)).isEmpty();
    }

    @Test
    void onnxRuntime_reproducesPyTorchOnTheFixedInput() throws Exception {
        Path fixtures = repo.resolve("training/tests/fixtures");
        Path want = fixtures.resolve("bracket-defects-parity-output.bin");
        assumeTrue(Files.isRegularFile(want), want + " is absent: parity check skipped");
        int h;
        int w;
        try (OnnxDetector d = OnnxDetector.open(spec(RECIPE_CONFIDENCE), model)) {
            h = d.info().inputHeight();
            w = d.info().inputWidth();
        }
        float[] in = parityInput(h, w);
        float[] ref = floats(want);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), o);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[] {1, 1, h, w});
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), x))) {
                FloatBuffer got = ((OnnxTensor) r.get(0)).getFloatBuffer();
                assertThat(got.remaining()).isEqualTo(ref.length);
                double worst = 0;
                for (int i = 0; i < ref.length; i++) {
                    // absolute for scores (0..1), relative for box coordinates in input pixels
                    worst = Math.max(worst, Math.abs(got.get(i) - ref[i]) / Math.max(1.0, Math.abs(ref[i])));
                }
                assertThat(worst).as("largest difference to PyTorch, scaled by max(1, |value|)").isLessThanOrEqualTo(1e-4);
            }
        }
    }

    /** Same integers as linesight_train's parity_input, divided by 255 in float32. */
    private static float[] parityInput(int h, int w) {
        float[] out = new float[h * w];
        long r = h * 3L / 10;
        for (long y = 0; y < h; y++) {
            for (long x = 0; x < w; x++) {
                long v = 40;
                if (x * 20 >= w * 3L && x * 20 < w * 17L && y * 5 >= h && y * 5 < h * 4L) {
                    v = 170;
                }
                if (Math.abs(y * 2 - h) <= 2 && Math.abs(x * 10 - w * 5L) <= w) {
                    v = 80;
                }
                long ex = x * 20 - w * 7L;
                long ey = y * 10 - h * 4L;
                if (ex * ex + ey * ey <= r * r) {
                    v = 95;
                }
                v += (x * 7 + y * 13 + x * y) % 9 - 4;
                out[(int) (y * w + x)] = (float) v / 255f;
            }
        }
        return out;
    }

    private static float[] floats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
