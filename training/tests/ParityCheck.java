/* SPDX-License-Identifier: Apache-2.0 */
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs an exported model on ONNX Runtime for Java (the runtime the station uses) and compares its output with
 * PyTorch's: {@code java -cp onnxruntime.jar ParityCheck.java MODEL.onnx DIR [TOLERANCE]}, DIR holding the files
 * {@code python3 -m linesight_train parity} writes. Prints the largest absolute difference; exit status 0 when it
 * is within the tolerance (default 1e-4), 1 when not, 2 on bad input. The tolerance is absolute for values up to 1
 * (class scores) and relative above (box coordinates in input pixels, where float32 itself resolves only ~3e-5 at
 * 400 px): |onnx - torch| <= tol * max(1, |torch|). With {@code -Dparity.write=FILE} it also writes ONNX Runtime's
 * output there (raw little-endian float32), for comparisons that need more than the largest difference, such as an
 * INT8 model against its dequantised float copy.
 */
public final class ParityCheck {
    private ParityCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ParityCheck MODEL.onnx DIR [TOLERANCE]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        double tol = args.length > 2 ? Double.parseDouble(args[2]) : 1e-4;
        String[] shapes = Files.readString(dir.resolve("shapes.txt")).trim().split("\n");
        long[] inShape = Arrays.stream(shapes[0].trim().split(" ")).mapToLong(Long::parseLong).toArray();
        float[] in = floats(dir.resolve("input.bin"));
        float[] want = floats(dir.resolve("output.bin"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(args[0], o);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), inShape);
                 OrtSession.Result r = s.run(java.util.Map.of(s.getInputNames().iterator().next(), x))) {
                OnnxTensor y = (OnnxTensor) r.get(0);
                FloatBuffer got = y.getFloatBuffer();
                String write = System.getProperty("parity.write");
                if (write != null) {
                    ByteBuffer out = ByteBuffer.allocate(got.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                    out.asFloatBuffer().put(got.duplicate());
                    Files.write(Path.of(write), out.array());
                }
                if (got.remaining() != want.length) {
                    System.out.println("output size " + got.remaining() + " (shape " + Arrays.toString(y.getInfo().getShape())
                            + "), PyTorch wrote " + want.length);
                    System.exit(1);
                }
                double maxAbs = 0;
                double maxScaled = 0;
                int at = -1;
                for (int i = 0; i < want.length; i++) {
                    double d = Math.abs(got.get(i) - want[i]);
                    maxAbs = Math.max(maxAbs, d);
                    double scaled = d / Math.max(1.0, Math.abs(want[i]));
                    if (scaled > maxScaled) {
                        maxScaled = scaled;
                        at = i;
                    }
                }
                System.out.printf("shape %s, max |onnxruntime - pytorch| = %.3g, max scaled by max(1,|pytorch|) = %.3g at %d"
                        + " (tolerance %.1g)%n", Arrays.toString(y.getInfo().getShape()), maxAbs, maxScaled, at, tol);
                System.exit(maxScaled <= tol ? 0 : 1);
            }
        }
    }

    private static float[] floats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
