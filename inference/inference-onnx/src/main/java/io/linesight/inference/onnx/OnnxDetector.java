/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.Detector;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.api.ModelInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A YOLO detection model on ONNX Runtime: one {@link OrtSession} on the shared environment, Ultralytics letterbox in,
 * layout-aware decoding, per-class thresholds and NMS out, optional tiling of large frames.
 *
 * <p><b>Memory.</b> Per tensor shape (batch, height, width) the detector makes one input tensor over a direct buffer
 * and one pinned output tensor over another, the first time that shape runs, and reuses them for every later frame:
 * the letterbox is written by OpenCV straight into the input tensor's memory, ONNX Runtime writes the output into the
 * pinned buffer, and the decoder reads it there. So a call does no copy that a bare {@code OrtSession.run} of the
 * same session does not do, and allocates nothing that grows with the frame or the output, only the result list and
 * a few small headers. (A model with a dynamic input size has its output allocated by ONNX Runtime and read through
 * a copy: its shape is only known after the run.)
 *
 * <p><b>Threads.</b> Not thread-safe: one detector per inspection worker, called by one thread at a time; the
 * reused tensors are why. <b>Blocking.</b> {@link #detect} runs the model on the calling thread (with
 * {@code threads: 1}, the model's work happens there too). <b>Ownership.</b> Frames stay the caller's and are read
 * only during the call; the returned list is the caller's.
 */
public final class OnnxDetector implements Detector {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);
    private static final int DEFAULT_IMGSZ = 640;

    private final Path file;
    private final ModelSpec spec;
    private final OrtSession session;
    private final ModelInfo info;
    private final String inputName;
    private final boolean fp16In;
    private final boolean fp16Out;
    private final long[] outShape;
    private final int channels;
    private final int inW;
    private final int inH;
    private final int stride;
    private final boolean dynamicBatch;
    private final boolean dynamicSize;
    private final OutputLayout layout;
    private final List<String> names;
    private final Decoder decoder;
    private final Candidates candidates = new Candidates(1024);
    private final Nms nms = new Nms();
    private final Map<Long, Binding> bindings = new HashMap<>();
    private ByteBuffer inputBytes = ByteBuffer.allocateDirect(0);
    private @Nullable InputWriter writer;
    private float[] widened = new float[0];
    private @Nullable Plan plan;
    private @Nullable Binding lastBinding;
    /** Held by detect and close: close waits for a running detect, and nothing runs on released natives. */
    private final java.util.concurrent.locks.ReentrantLock use = new java.util.concurrent.locks.ReentrantLock();
    private boolean closed;

    /** One region of the frame inferred as one batch slot. */
    private record Pass(int x, int y, int w, int h, Letterbox lb) {
    }

    /**
     * The passes for one frame size, grouped into runs of equal tensor size: one batch each when the model takes any
     * batch size, else one run per pass.
     */
    private record Plan(int frameW, int frameH, List<List<Pass>> runs, int passes) {
    }

    /** Input tensor and pinned output for one (batch, height, width). */
    private record Binding(Map<String, OnnxTensor> inputs, @Nullable Map<String, OnnxValue> pinned,
                           @Nullable FloatBuffer outF32, @Nullable ShortBuffer outF16, OnnxTensor in,
                           @Nullable OnnxTensor out) {
    }

    private OnnxDetector(ModelSpec spec, Path file) throws InferenceException {
        this.file = file;
        this.spec = spec;
        if (!Files.isRegularFile(file)) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": model file not found");
        }
        String sha = sha256(file);
        SessionFactory.Opened opened = SessionFactory.open(file, spec.provider(), spec.threads(), spec.gpuOrDefaults());
        this.session = opened.session();
        try {
            Map<String, NodeInfo> ins = session.getInputInfo();
            Map<String, NodeInfo> outs = session.getOutputInfo();
            if (ins.size() != 1 || !(ins.values().iterator().next().getInfo() instanceof TensorInfo inInfo)) {
                throw unsupported("has " + ins.size() + " inputs; a detection model has one image tensor");
            }
            this.inputName = ins.keySet().iterator().next();
            NodeInfo firstOut = outs.values().iterator().next();
            if (!(firstOut.getInfo() instanceof TensorInfo outInfo)) {
                throw unsupported("output '" + firstOut.getName() + "' is not a tensor");
            }
            this.fp16In = elementType(inInfo, "input '" + inputName + "'");
            this.fp16Out = elementType(outInfo, "output '" + firstOut.getName() + "'");
            long[] inShape = inInfo.getShape();
            if (inShape.length != 4) {
                throw unsupported("input shape " + Arrays.toString(inShape) + " is not [batch, channels, height, width]");
            }
            ModelMetadata meta;
            try {
                meta = ModelMetadata.parse(session.getMetadata().getCustomMetadata());
            } catch (IllegalArgumentException e) {
                throw unsupported(e.getMessage());
            }
            if (meta.task() != null && !meta.task().equals("detect")) {
                throw unsupported("is a '" + meta.task() + "' model; only 'detect' models are supported");
            }
            this.channels = inShape[1] > 0 ? (int) inShape[1] : (meta.channels() > 0 ? meta.channels() : 3);
            if (channels != 1 && channels != 3) {
                throw unsupported("takes " + channels + " channels; 1 or 3 are supported");
            }
            this.dynamicBatch = inShape[0] <= 0;
            this.dynamicSize = inShape[2] <= 0 || inShape[3] <= 0;
            this.inH = inShape[2] > 0 ? (int) inShape[2] : (meta.imgszH() > 0 ? meta.imgszH() : DEFAULT_IMGSZ);
            this.inW = inShape[3] > 0 ? (int) inShape[3] : (meta.imgszW() > 0 ? meta.imgszW() : DEFAULT_IMGSZ);
            this.stride = meta.stride() > 0 ? meta.stride() : 32;
            this.outShape = outInfo.getShape();
            List<String> declared = spec.classNames().isEmpty() ? meta.names() : spec.classNames();
            try {
                this.layout = OutputLayout.recognise(outShape, declared.size(), meta.end2end(),
                        dynamicSize ? 0 : inH, dynamicSize ? 0 : inW);
            } catch (IllegalArgumentException e) {
                throw unsupported(e.getMessage());
            }
            int modelClasses = switch (layout) {
                case YOLOV8 -> (int) outShape[1] - 4;
                case YOLOV5 -> (int) outShape[2] - 5;
                case END2END -> -1;
            };
            if (!spec.classNames().isEmpty() && modelClasses > 0 && spec.classNames().size() != modelClasses) {
                throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": the recipe names "
                        + spec.classNames().size() + " classes but the model predicts " + modelClasses);
            }
            this.names = declared.isEmpty() ? genericNames(Math.max(modelClasses, 0)) : List.copyOf(declared);
            this.decoder = new Decoder(layout, classThresholds(), (float) spec.confidence());
            this.info = new ModelInfo(file.toString(), sha, names, inW, inH, channels, layout.id(), opened.provider());
            warmUp(spec.warmupRuns());
        } catch (InferenceException | RuntimeException e) {
            closeQuietly();
            throw e;
        } catch (OrtException e) {
            closeQuietly();
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": " + e.getMessage(), e);
        }
        LOG.atInfo().addKeyValue("model", file.getFileName()).addKeyValue("layout", layout.id())
                .addKeyValue("provider", info.executionProvider())
                .log("model {} loaded: {} {}x{}x{} {} classes, {} in/{} out, {} batch", file.getFileName(), layout.id(),
                        channels, inH, inW, names.size(), fp16In ? "fp16" : "fp32", fp16Out ? "fp16" : "fp32",
                        dynamicBatch ? "dynamic" : "static");
    }

    /** Loads, checks and warms up a model; see {@link io.linesight.inference.api.DetectorProvider#open}. */
    public static OnnxDetector open(ModelSpec spec, Path modelFile) throws InferenceException {
        return new OnnxDetector(spec, modelFile);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The output layout recognised. */
    public OutputLayout layout() {
        return layout;
    }

    /** Whether the model accepts any batch size (tiles are then inferred as one batch). */
    public boolean dynamicBatch() {
        return dynamicBatch;
    }

    @Override
    public List<Detection> detect(Frame frame) throws InferenceException {
        use.lock();
        try {
            return detectLocked(frame);
        } finally {
            use.unlock();
        }
    }

    private List<Detection> detectLocked(Frame frame) throws InferenceException {
        ensureOpen();
        if (frame.width() <= 0 || frame.height() <= 0) {
            throw new InferenceException(InferenceException.Code.BAD_INPUT, frame + ": empty frame");
        }
        int lo = 0;
        int hi = 255;
        if (frame.pixelFormat() != PixelFormat.MONO8) {
            List<Integer> w = spec.mono16Window();
            lo = w == null ? 0 : w.get(0);
            hi = w == null ? frame.pixelFormat().maxValue() : w.get(1);
        }
        Mat mat = OpenCvNatives.wrap(frame);
        try {
            return detectMat(mat, lo, hi);
        } finally {
            mat.release();
        }
    }

    /**
     * Runs the model on a colour image (for tools and tests with COCO models): RGB into 3-channel models, grey
     * into 1-channel ones. Not the production path; it allocates a working copy of the image.
     */
    public List<Detection> detectRgb(BufferedImage image) throws InferenceException {
        use.lock();
        try {
            return detectRgbLocked(image);
        } finally {
            use.unlock();
        }
    }

    private List<Detection> detectRgbLocked(BufferedImage image) throws InferenceException {
        ensureOpen();
        Mat bgr = FrameImages.toBgrMat(image);
        try {
            if (channels == 1) {
                Mat grey = new Mat();
                try {
                    org.opencv.imgproc.Imgproc.cvtColor(bgr, grey, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
                    return detectMat(grey, 0, 255);
                } finally {
                    grey.release();
                }
            }
            return detectMat(bgr, 0, 255);
        } finally {
            bgr.release();
        }
    }

    private List<Detection> detectMat(Mat full, int lo, int hi) throws InferenceException {
        Plan p = planFor(full.cols(), full.rows());
        candidates.clear();
        for (List<Pass> run : p.runs()) {
            runBatch(full, run, lo, hi);
        }
        // an end-to-end graph already suppressed within its one image; merging tiles needs NMS again
        boolean sortOnly = layout == OutputLayout.END2END && p.passes() == 1;
        int kept = nms.run(candidates, (float) spec.iou(), spec.agnosticNms(), spec.maxDetections(), sortOnly);
        List<Detection> out = new ArrayList<>(kept);
        for (int r = 0; r < kept; r++) {
            int i = nms.kept(r);
            int c = candidates.classId(i);
            out.add(new Detection(candidates.x1(i), candidates.y1(i), candidates.x2(i), candidates.y2(i), c,
                    c >= 0 && c < names.size() ? names.get(c) : "class" + c, candidates.score(i)));
        }
        return out;
    }

    private void runBatch(Mat full, List<Pass> run, int lo, int hi) throws InferenceException {
        Letterbox first = run.getFirst().lb();
        int batch = run.size();
        Binding b = binding(batch, first.tensorH(), first.tensorW());
        lastBinding = b;
        InputWriter w = writer;
        for (int s = 0; s < batch; s++) {
            Pass pass = run.get(s);
            boolean whole = pass.x() == 0 && pass.y() == 0 && pass.w() == full.cols() && pass.h() == full.rows();
            Mat roi = whole ? full : full.submat(pass.y(), pass.y() + pass.h(), pass.x(), pass.x() + pass.w());
            try {
                w.write(s, roi, pass.lb(), lo, hi);
            } finally {
                if (roi != full) {
                    roi.release();
                }
            }
        }
        try {
            if (b.pinned() != null) {
                // pinned outputs are not owned by the result: closing it leaves them for the next frame
                session.run(b.inputs(), b.pinned()).close();
                decodeAll(run, outputFloats(b.outF32(), b.outF16()), (int) outShape[1], (int) outShape[2]);
            } else {
                try (OrtSession.Result r = session.run(b.inputs())) {
                    OnnxTensor t = (OnnxTensor) r.get(0);
                    long[] shape = t.getInfo().getShape();
                    OutView buf = bufferOf(t);
                    decodeAll(run, outputFloats(buf.f32(), buf.f16()), (int) shape[1], (int) shape[2]);
                }
            }
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.RUN_FAILED, file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private record OutView(@Nullable FloatBuffer f32, @Nullable ShortBuffer f16) {
    }

    private OutView bufferOf(OnnxTensor t) {
        java.nio.Buffer ref = t.getBufferRef().orElse(null);
        if (ref instanceof FloatBuffer f) {
            return new OutView(f, null);
        }
        if (ref instanceof ShortBuffer s) {
            return new OutView(null, s);
        }
        // output owned by ONNX Runtime: read through a copy (dynamic output shapes only)
        return fp16Out ? new OutView(null, t.getShortBuffer()) : new OutView(t.getFloatBuffer(), null);
    }

    private FloatBuffer outputFloats(@Nullable FloatBuffer f32, @Nullable ShortBuffer f16) {
        if (f32 != null) {
            return f32;
        }
        int n = f16.limit();
        if (widened.length < n) {
            widened = new float[n];
        }
        float[] wd = widened;
        for (int i = 0; i < n; i++) {
            wd[i] = Float.float16ToFloat(f16.get(i));
        }
        return FloatBuffer.wrap(wd, 0, n);
    }

    private void decodeAll(List<Pass> run, FloatBuffer out, int rows, int cols) throws InferenceException {
        int per = rows * cols;
        if (!FiniteValues.all(out, 0, run.size() * per)) {
            throw new InferenceException(InferenceException.Code.RUN_FAILED, file.getFileName() + ": the model's output "
                    + "holds NaN or infinite values (an FP16 overflow or a broken export): no detection of this image "
                    + "can be trusted");
        }
        for (int s = 0; s < run.size(); s++) {
            Pass pass = run.get(s);
            decoder.decode(out, s * per, rows, cols, pass.lb(), pass.x(), pass.y(), candidates);
        }
    }

    private Plan planFor(int fw, int fh) {
        Plan p = plan;
        if (p != null && p.frameW() == fw && p.frameH() == fh) {
            return p;
        }
        List<Pass> passes = new ArrayList<>();
        ModelSpec.TilingSpec t = spec.tiling();
        if (t == null || (t.size() >= fw && t.size() >= fh)) {
            passes.add(new Pass(0, 0, fw, fh, letterbox(fw, fh)));
        } else {
            for (Tiles.Tile tile : Tiles.cover(fw, fh, t.size(), t.overlap())) {
                passes.add(new Pass(tile.x(), tile.y(), tile.width(), tile.height(), letterbox(tile.width(), tile.height())));
            }
            if (t.wholeFrame()) {
                passes.add(new Pass(0, 0, fw, fh, letterbox(fw, fh)));
            }
        }
        Map<Long, List<Pass>> byTensor = new java.util.LinkedHashMap<>();
        for (Pass pass : passes) {
            long key = ((long) pass.lb().tensorH() << 32) | pass.lb().tensorW();
            byTensor.computeIfAbsent(key, k -> new ArrayList<>()).add(pass);
        }
        List<List<Pass>> runs = new ArrayList<>();
        for (List<Pass> sameSize : byTensor.values()) {
            if (dynamicBatch) {
                runs.add(List.copyOf(sameSize));
            } else {
                for (Pass pass : sameSize) {
                    runs.add(List.of(pass));
                }
            }
        }
        p = new Plan(fw, fh, List.copyOf(runs), passes.size());
        plan = p;
        return p;
    }

    private Letterbox letterbox(int w, int h) {
        return Letterbox.of(w, h, inW, inH, dynamicSize, stride);
    }

    private Binding binding(int batch, int th, int tw) throws InferenceException {
        long key = ((long) batch << 40) | ((long) th << 20) | tw;
        Binding b = bindings.get(key);
        if (b != null) {
            return b;
        }
        long elements = (long) batch * channels * th * tw;
        int bytes = Math.toIntExact(elements * (fp16In ? 2 : 4));
        if (inputBytes.capacity() < bytes) {
            // a bigger batch or input than before: new buffer, so every older binding must go
            closeBindings();
            if (writer != null) {
                writer.release();
            }
            inputBytes = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            writer = fp16In ? new InputWriter(null, inputBytes.asShortBuffer(), channels)
                    : new InputWriter(inputBytes.asFloatBuffer(), null, channels);
        }
        try {
            long[] inShape = {batch, channels, th, tw};
            OnnxTensor in = fp16In
                    ? OnnxTensor.createTensor(SessionFactory.environment(), inputBytes.asShortBuffer().slice(0, (int) elements), inShape, OnnxJavaType.FLOAT16)
                    : OnnxTensor.createTensor(SessionFactory.environment(), inputBytes.asFloatBuffer().slice(0, (int) elements), inShape);
            long[] shape = outShape.clone();
            shape[0] = batch;
            boolean known = shape[1] > 0 && shape[2] > 0 && !dynamicSize;
            OnnxTensor out = null;
            FloatBuffer of = null;
            ShortBuffer oh = null;
            if (known) {
                int n = Math.toIntExact(shape[0] * shape[1] * shape[2]);
                ByteBuffer ob = ByteBuffer.allocateDirect(n * (fp16Out ? 2 : 4)).order(ByteOrder.nativeOrder());
                if (fp16Out) {
                    oh = ob.asShortBuffer();
                    out = OnnxTensor.createTensor(SessionFactory.environment(), oh, shape, OnnxJavaType.FLOAT16);
                } else {
                    of = ob.asFloatBuffer();
                    out = OnnxTensor.createTensor(SessionFactory.environment(), of, shape);
                }
            }
            String outName = session.getOutputNames().iterator().next();
            b = new Binding(Map.of(inputName, in), out == null ? null : Map.of(outName, out), of, oh, in, out);
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.RUN_FAILED, file.getFileName() + ": cannot create tensors: " + e.getMessage(), e);
        }
        bindings.put(key, b);
        return b;
    }

    private void warmUp(int runs) throws InferenceException {
        if (runs <= 0) {
            return;
        }
        Letterbox lb = Letterbox.of(inW, inH, inW, inH, false, stride);
        Binding b = binding(1, lb.tensorH(), lb.tensorW());
        try {
            for (int i = 0; i < runs; i++) {
                if (b.pinned() != null) {
                    session.run(b.inputs(), b.pinned()).close();
                } else {
                    session.run(b.inputs()).close();
                }
            }
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": warm-up run failed: " + e.getMessage(), e);
        }
    }

    /**
     * The prepared input of batch size 1 at the nominal size and the session, for benchmarks that compare
     * {@link #detect} with a bare {@code OrtSession.run} on the same tensor.
     */
    public OrtSession.Result runPrepared() throws InferenceException {
        Binding b = binding(1, inH, inW);
        try {
            return b.pinned() != null ? session.run(b.inputs(), b.pinned()) : session.run(b.inputs());
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.RUN_FAILED, e.getMessage(), e);
        }
    }

    /**
     * The memory of the last run: its input tensor and the buffer its output was read from (the pinned output
     * tensor's, or null when ONNX Runtime allocated the output). For tests that check tensors are reused.
     */
    record Buffers(OnnxTensor input, java.nio.@Nullable Buffer output) {
    }

    @Nullable Buffers lastBuffers() {
        Binding b = lastBinding;
        if (b == null) {
            return null;
        }
        return new Buffers(b.in(), b.outF32() != null ? b.outF32() : b.outF16());
    }

    private float[] classThresholds() throws InferenceException {
        for (String key : spec.classConfidence().keySet()) {
            if (!names.contains(key)) {
                throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": classConfidence names class '"
                        + key + "' which the model does not have (classes: " + abbreviate(names) + ")");
            }
        }
        float[] t = new float[names.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) spec.confidenceFor(names.get(i));
        }
        return t;
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + ", … (" + names.size() + ")";
    }

    private boolean elementType(TensorInfo t, String what) throws InferenceException {
        if (t.type == OnnxJavaType.FLOAT) {
            return false;
        }
        if (t.type == OnnxJavaType.FLOAT16) {
            return true;
        }
        throw unsupported(what + " has element type " + t.type + "; float32 and float16 are supported");
    }

    private InferenceException unsupported(String why) {
        return new InferenceException(InferenceException.Code.UNSUPPORTED_MODEL, file + ": " + why);
    }

    private static List<String> genericNames(int n) {
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add("class" + i);
        }
        return l;
    }

    private static String sha256(Path file) throws InferenceException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(file.getFileName() + ": detector is closed");
        }
    }

    private void closeBindings() {
        lastBinding = null;
        for (Binding b : bindings.values()) {
            b.in().close();
            if (b.out() != null) {
                b.out().close();
            }
        }
        bindings.clear();
    }

    private void closeQuietly() {
        closeBindings();
        try {
            session.close();
        } catch (OrtException e) {
            LOG.atDebug().setCause(e).log("closing session of {}", file);
        }
    }

    /** Closes the session; waits for a detect running on another thread to finish first. Idempotent. */
    @Override
    public void close() {
        use.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (writer != null) {
                writer.release();
            }
            decoder.release();
            closeQuietly();
        } finally {
            use.unlock();
        }
    }
}
