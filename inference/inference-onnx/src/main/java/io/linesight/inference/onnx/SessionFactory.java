/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import io.linesight.config.recipe.ModelSpec.GpuSpec;
import io.linesight.inference.api.InferenceException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates sessions on the shared {@link OrtEnvironment} with the requested execution provider. A GPU provider is really
 * tried (provider options, then session creation). TensorRT that cannot start falls back to CUDA; CUDA that cannot
 * start (CPU-only ONNX Runtime artifact, no driver, missing CUDA/cuDNN libraries) either falls back to CPU with one
 * WARN naming the cause ({@code gpu.cpuFallback: true}, the default) or refuses the model with that cause
 * ({@code gpu.cpuFallback: false}). Every session logs one INFO line with the provider it really runs on and its
 * options. Called on the thread that opens a detector or an anomaly model's backbone (recipe load, change-over,
 * learning tools); blocks for the model's load.
 */
public final class SessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);
    private static final Pattern MISSING_OP = Pattern.compile("implementation for (\\w+)\\((\\d+)\\) node with name '([^']*)'");

    /**
     * A session and the provider that actually runs it.
     *
     * @param provider      {@code CPU}, {@code CUDA} or {@code TensorRT}
     * @param detail        the provider's options, or the fallback that put it on CPU, for the log and diagnostics
     * @param fallbackCause why the requested provider could not start, or null when it runs as requested
     */
    public record Opened(OrtSession session, String provider, String detail, @Nullable String fallbackCause) {
    }

    /**
     * An ONNX model as a file or as bytes (a model packed into another artifact): {@code name} is what logs call it,
     * {@code toString()} what errors call it (a file's whole path).
     */
    private record Source(String name, @Nullable Path file, byte @Nullable [] bytes, String gpuSection) {
        OrtSession create(OrtSession.SessionOptions opts) throws OrtException {
            return file != null ? environment().createSession(file.toString(), opts)
                    : environment().createSession(bytes, opts);
        }

        @Override
        public String toString() {
            return file != null ? file.toString() : name;
        }
    }

    private SessionFactory() {
    }

    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    static Opened open(Path modelFile, String requestedProvider, int threads) throws InferenceException {
        return open(modelFile, requestedProvider, threads, GpuSpec.DEFAULTS);
    }

    static Opened open(Path modelFile, String requestedProvider, int threads, GpuSpec gpu) throws InferenceException {
        return open(new Source(modelFile.getFileName().toString(), modelFile, null, "model.gpu"), requestedProvider, threads, gpu);
    }

    /**
     * A session for a model given as bytes (an anomaly model's backbone, packed in the model file), by the same rules
     * as a model file.
     *
     * @param label      names the model in logs and errors (the artifact and its entry)
     * @param gpuSection the recipe's field path of {@code gpu}, for errors (e.g. {@code shots[0].anomaly.gpu})
     */
    public static Opened open(byte[] onnx, String label, String requestedProvider, int threads, GpuSpec gpu,
                              String gpuSection) throws InferenceException {
        return open(new Source(label, null, onnx, gpuSection), requestedProvider, threads, gpu);
    }

    private static Opened open(Source modelFile, String requestedProvider, int threads, GpuSpec gpu)
            throws InferenceException {
        String requested = requestedProvider.trim().toLowerCase(Locale.ROOT);
        Opened opened = switch (requested) {
            case "cpu" -> new Opened(createCpu(modelFile, threads), "CPU", "threads=" + threads, null);
            case "cuda" -> openGpu(modelFile, threads, gpu, false);
            case "tensorrt" -> openGpu(modelFile, threads, gpu, true);
            default -> throw new InferenceException(InferenceException.Code.LOAD_FAILED, modelFile
                    + ": provider '" + requestedProvider + "' is unknown (known: cpu, cuda, tensorrt)");
        };
        LOG.atInfo().addKeyValue("model", modelFile.name()).addKeyValue("requested", requested)
                .addKeyValue("provider", opened.provider()).addKeyValue("options", opened.detail())
                .log("model {} runs on {} (requested {}; {})", modelFile.name(), opened.provider(), requested,
                        opened.detail());
        return opened;
    }

    private static Opened openGpu(Source modelFile, int threads, GpuSpec gpu, boolean tensorrt) throws InferenceException {
        Map<String, String> cuda = GpuProviderOptions.cuda(gpu);
        String trtCause = null;
        if (tensorrt) {
            Map<String, String> trt = GpuProviderOptions.tensorrt(gpu);
            try {
                return new Opened(createGpu(modelFile, threads, gpu.deviceId(), trt, cuda), "TensorRT",
                        GpuProviderOptions.describe(trt), null);
            } catch (OrtException | RuntimeException | LinkageError e) {
                trtCause = describeCause(e);
                LOG.atWarn().addKeyValue("model", modelFile.name()).addKeyValue("cause", trtCause)
                        .log("TensorRT execution provider could not start ({}); trying CUDA for {}", trtCause,
                                modelFile.name());
            }
        }
        String cause;
        try {
            return new Opened(createGpu(modelFile, threads, gpu.deviceId(), null, cuda), "CUDA",
                    GpuProviderOptions.describe(cuda) + (trtCause == null ? "" : "; TensorRT failed: " + trtCause),
                    trtCause);
        } catch (OrtException | RuntimeException | LinkageError e) {
            cause = describeCause(e);
        }
        String wanted = tensorrt ? "TensorRT/CUDA" : "CUDA";
        if (!gpu.cpuFallback()) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, modelFile + ": the recipe demands "
                    + wanted + " (" + modelFile.gpuSection() + ".cpuFallback: false) but the " + wanted + " execution provider could not "
                    + "start on device " + gpu.deviceId() + ": " + cause + "; the model is not run on CPU");
        }
        LOG.atWarn().addKeyValue("model", modelFile.name()).addKeyValue("cause", cause)
                .log("{} execution provider could not start ({}); running {} on CPU", wanted, cause, modelFile.name());
        return new Opened(createCpu(modelFile, threads), "CPU", "fallback from " + wanted + ": " + cause, cause);
    }

    /**
     * A session with TensorRT (when {@code trt} is given) and CUDA registered in that order of preference. The provider
     * options stay open until the session exists: ONNX Runtime reads them when it creates the session.
     */
    private static OrtSession createGpu(Source modelFile, int threads, int deviceId, @Nullable Map<String, String> trt,
                                        Map<String, String> cuda) throws OrtException, InferenceException {
        try (OrtSession.SessionOptions opts = baseOptions(threads);
             OrtTensorRTProviderOptions t = trt == null ? null : new OrtTensorRTProviderOptions(deviceId);
             OrtCUDAProviderOptions c = new OrtCUDAProviderOptions(deviceId)) {
            if (t != null && trt != null) {
                for (Map.Entry<String, String> e : trt.entrySet()) {
                    t.add(e.getKey(), e.getValue());
                }
                opts.addTensorrt(t);
            }
            for (Map.Entry<String, String> e : cuda.entrySet()) {
                c.add(e.getKey(), e.getValue());
            }
            opts.addCUDA(c);
            return modelFile.create(opts);
        }
    }

    private static OrtSession createCpu(Source modelFile, int threads) throws InferenceException {
        try (OrtSession.SessionOptions opts = baseOptions(threads)) {
            return modelFile.create(opts);
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, describeLoadFailure(modelFile.toString(), e), e);
        }
    }

    private static OrtSession.SessionOptions baseOptions(int threads) throws InferenceException {
        try {
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            return opts;
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, "ONNX Runtime session options: " + e.getMessage(), e);
        }
    }

    private static String describeCause(Throwable e) {
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    /** "file: ONNX Runtime cannot load it: operator ConvInteger (opset 10, node '…') is not implemented …". */
    static String describeLoadFailure(String modelFile, OrtException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher m = MISSING_OP.matcher(msg);
        if (m.find()) {
            return modelFile + ": ONNX Runtime cannot load this model: operator " + m.group(1) + " (opset " + m.group(2)
                    + ", node '" + m.group(3) + "') is not implemented by the CPU execution provider [" + firstLine(msg) + "]";
        }
        return modelFile + ": ONNX Runtime cannot load this model: " + firstLine(msg);
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
