/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.config.recipe.ModelSpec.GpuSpec;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FiniteValues;
import io.linesight.inference.onnx.SessionFactory;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A frozen ONNX classification CNN whose intermediate layers are graph outputs ("taps"), prepared once by
 * {@code training/anomaly/tap_backbone.py}. The taps and their strides are read from the model's custom metadata
 * {@code linesight.taps}. Input, NCHW, height and width multiples of 32, as the metadata {@code linesight.input} says:
 * {@code imagenet} (the default) RGB scaled to 0..1 and normalised with the ImageNet mean and standard deviation (what
 * torchvision's and the ONNX Model Zoo's classifiers expect), or {@code mono01} one grey channel scaled to 0..1 (what
 * a YOLO detector trained on monochrome images, such as the station's own, expects).
 *
 * <p>Not thread-safe: one instance per thread that scores images. {@link #extract} blocks for one forward pass.
 * {@link #close()} releases the ONNX Runtime session; idempotent.
 */
final class Backbone implements AutoCloseable {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** A tapped layer: its output name and its stride in input pixels. */
    record Tap(String name, int stride) {
    }

    private final OrtSession session;
    private final String inputName;
    private final Map<String, Tap> taps;
    private final String label;
    private final boolean mono;
    private final String provider;
    private boolean closed;

    private Backbone(OrtSession session, Map<String, Tap> taps, String label, boolean mono, String provider)
            throws OrtException {
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
        this.taps = taps;
        this.label = label;
        this.mono = mono;
        this.provider = provider;
    }

    /** The execution provider the backbone really runs on: {@code CPU}, {@code CUDA} or {@code TensorRT}. */
    String provider() {
        return provider;
    }

    /** Loads a tapped backbone from its bytes, on CPU. */
    static Backbone load(byte[] onnx, String label, int threads) throws InferenceException {
        return load(onnx, label, threads, "cpu", GpuSpec.DEFAULTS);
    }

    /**
     * Loads a tapped backbone from its bytes on the requested execution provider, by the detectors' rules
     * ({@link SessionFactory}: a GPU provider that cannot start falls back to CPU with a warning, unless
     * {@code gpu.cpuFallback} is false: then it is refused).
     *
     * @param label    names the model in errors (a path or an artifact entry)
     * @param provider {@code cpu}, {@code cuda} or {@code tensorrt}
     */
    static Backbone load(byte[] onnx, String label, int threads, String provider, GpuSpec gpu)
            throws InferenceException {
        OrtSession session = null;
        try {
            SessionFactory.Opened opened = SessionFactory.open(onnx, label, provider, Math.max(1, threads), gpu,
                    "anomaly.gpu");
            session = opened.session();
            Optional<String> meta = Optional.ofNullable(session.getMetadata().getCustomMetadata().get("linesight.taps"));
            if (meta.isEmpty()) {
                throw new InferenceException(InferenceException.Code.LOAD_FAILED, label + ": no 'linesight.taps' "
                        + "metadata: prepare the backbone with training/anomaly/tap_backbone.py");
            }
            Map<String, Tap> taps = parseTaps(meta.get(), label);
            for (String t : taps.keySet()) {
                if (!session.getOutputNames().contains(t)) {
                    throw new InferenceException(InferenceException.Code.LOAD_FAILED, label + ": tap '" + t
                            + "' is not a graph output (outputs: " + session.getOutputNames() + ")");
                }
            }
            String input = session.getMetadata().getCustomMetadata().getOrDefault("linesight.input", "imagenet");
            if (!input.equals("imagenet") && !input.equals("mono01")) {
                throw new InferenceException(InferenceException.Code.LOAD_FAILED, label + ": metadata 'linesight.input' "
                        + "is '" + input + "', expected imagenet or mono01");
            }
            return new Backbone(session, taps, label, input.equals("mono01"), opened.provider());
        } catch (OrtException e) {
            closeQuietly(session);
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, label + ": ONNX Runtime cannot load "
                    + "this backbone: " + firstLine(e.getMessage()), e);
        } catch (InferenceException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static Map<String, Tap> parseTaps(String json, String label) throws InferenceException {
        Map<String, Tap> taps = new LinkedHashMap<>();
        try {
            // one read for the whole text: SnakeYAML's chunked reads fail on a surrogate pair at a chunk's end
            Object doc = new Load(LoadSettings.builder().setLabel(label).setBufferSize(json.length() + 1).build())
                    .loadFromString(json);
            if (doc instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m && m.get("name") instanceof String n && m.get("stride") instanceof Integer s) {
                        taps.put(n, new Tap(n, s));
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, label + ": metadata 'linesight.taps' "
                    + "is not a JSON list: " + firstLine(e.getMessage()), e);
        }
        if (taps.isEmpty()) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, label + ": metadata 'linesight.taps' "
                    + "names no tap ({\"name\":…,\"stride\":…})");
        }
        return taps;
    }

    Map<String, Tap> taps() {
        return taps;
    }

    /** The default pair: the first stride-8 tap and the first stride-16 tap, else the first two taps. */
    List<String> defaultLayers() {
        List<String> out = new ArrayList<>();
        for (int stride : new int[] {8, 16}) {
            taps.values().stream().filter(t -> t.stride() == stride).findFirst().ifPresent(t -> out.add(t.name()));
        }
        if (out.size() < 2) {
            out.clear();
            taps.keySet().stream().limit(2).forEach(out::add);
        }
        return out;
    }

    /** One forward pass on the image resized to {@code width x height}; the requested taps' activations. */
    List<FeatureMap> extract(BufferedImage image, int width, int height, List<String> layers, boolean standardise)
            throws InferenceException {
        float[] input = mono ? grey(image, width, height, standardise) : normalised(image, width, height, standardise);
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input),
                new long[] {1, mono ? 1 : 3, height, width});
             OrtSession.Result r = session.run(Map.of(inputName, t), new java.util.HashSet<>(layers))) {
            List<FeatureMap> out = new ArrayList<>(layers.size());
            for (String layer : layers) {
                Optional<OnnxValue> v = r.get(layer);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor tensor)) {
                    throw new InferenceException(InferenceException.Code.RUN_FAILED, label + ": tap '" + layer
                            + "' gave no tensor");
                }
                long[] shape = tensor.getInfo().getShape();
                FloatBuffer fb = tensor.getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                if (!FiniteValues.all(data, 0, data.length)) {
                    throw new InferenceException(InferenceException.Code.RUN_FAILED, label + ": tap '" + layer
                            + "' gave NaN or infinite values for this image: its features cannot be scored");
                }
                Tap tap = taps.get(layer);
                out.add(new FeatureMap((int) shape[1], (int) shape[2], (int) shape[3],
                        tap == null ? height / (int) shape[2] : tap.stride(), data));
            }
            return out;
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.RUN_FAILED, label + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * One grey plane at the network's size, 0..1 (the mean of R, G and B for a colour image); with {@code standardise}
     * shifted and stretched to mean 0.45 and standard deviation 0.2 as in {@link #normalised}.
     */
    static float[] grey(BufferedImage image, int width, int height, boolean standardise) {
        BufferedImage rgb = resized(image, width, height);
        int plane = width * height;
        float[] out = new float[plane];
        int[] px = rgb.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            int p = px[i];
            out[i] = (((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff)) / (3 * 255f);
        }
        if (standardise) {
            standardise(out, 0, plane);
        }
        return out;
    }

    /**
     * RGB planes at the network's size, ImageNet-normalised. Grey images feed all three planes. With
     * {@code standardise} every channel is first shifted and stretched to mean 0.45 and standard deviation 0.2 (of
     * 0..1), so a brighter or dimmer exposure of the same surface gives the same features.
     */
    static float[] normalised(BufferedImage image, int width, int height, boolean standardise) {
        BufferedImage rgb = resized(image, width, height);
        int plane = width * height;
        float[] out = new float[3 * plane];
        int[] px = rgb.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            int p = px[i];
            out[i] = ((p >> 16) & 0xff) / 255f;
            out[plane + i] = ((p >> 8) & 0xff) / 255f;
            out[2 * plane + i] = (p & 0xff) / 255f;
        }
        for (int c = 0; c < 3; c++) {
            if (standardise) {
                standardise(out, c * plane, plane);
            }
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out[i] = (out[i] - MEAN[c]) / STD[c];
            }
        }
        return out;
    }

    /** Shifts and stretches {@code n} values from {@code from} to mean 0.45 and standard deviation 0.2, in place. */
    private static void standardise(float[] v, int from, int n) {
        double sum = 0;
        double sq = 0;
        for (int i = from; i < from + n; i++) {
            sum += v[i];
            sq += v[i] * v[i];
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
        float gain = (float) (0.2 / Math.max(sd, 1e-3));
        float shift = (float) (0.45 - mean * gain);
        for (int i = from; i < from + n; i++) {
            v[i] = v[i] * gain + shift;
        }
    }

    /** Bilinear resize; large reductions go in halving steps first so fine texture does not alias. */
    static BufferedImage resized(BufferedImage src, int width, int height) {
        BufferedImage cur = src;
        while (cur.getWidth() >= 2 * width && cur.getHeight() >= 2 * height) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return draw(cur, width, height);
    }

    private static BufferedImage draw(BufferedImage src, int width, int height) {
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // the load already failed; its cause is the one reported
            }
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(label + ": closing the backbone session: " + e.getMessage(), e);
        }
    }
}
