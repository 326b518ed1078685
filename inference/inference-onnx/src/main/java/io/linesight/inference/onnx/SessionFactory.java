/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.inference.api.InferenceException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates sessions on the shared {@link OrtEnvironment} with the requested execution provider. CUDA is really tried
 * ({@code addCUDA}, then session creation); when it cannot start (CPU-only ONNX Runtime artifact, no driver, missing
 * CUDA/cuDNN libraries) one WARN with the cause is logged and the session runs on CPU.
 */
final class SessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);
    private static final Pattern MISSING_OP = Pattern.compile("implementation for (\\w+)\\((\\d+)\\) node with name '([^']*)'");

    /** A session and the provider that actually runs it. */
    record Opened(OrtSession session, String provider, @Nullable String fallbackCause) {
    }

    private SessionFactory() {
    }

    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    static Opened open(Path modelFile, String requestedProvider, int threads) throws InferenceException {
        String requested = requestedProvider.trim().toLowerCase(Locale.ROOT);
        switch (requested) {
            case "cpu" -> {
                return new Opened(createCpu(modelFile, threads), "CPU", null);
            }
            case "cuda" -> {
                String cause;
                try (OrtSession.SessionOptions opts = baseOptions(threads)) {
                    opts.addCUDA(0);
                    return new Opened(environment().createSession(modelFile.toString(), opts), "CUDA", null);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    cause = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
                }
                LOG.atWarn().addKeyValue("model", modelFile.getFileName()).addKeyValue("cause", cause)
                        .log("CUDA execution provider could not start ({}); running {} on CPU", cause, modelFile.getFileName());
                return new Opened(createCpu(modelFile, threads), "CPU", cause);
            }
            default -> throw new InferenceException(InferenceException.Code.LOAD_FAILED, modelFile
                    + ": provider '" + requestedProvider + "' is unknown (known: cpu, cuda)");
        }
    }

    private static OrtSession createCpu(Path modelFile, int threads) throws InferenceException {
        try (OrtSession.SessionOptions opts = baseOptions(threads)) {
            return environment().createSession(modelFile.toString(), opts);
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, describeLoadFailure(modelFile, e), e);
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

    /** "file: ONNX Runtime cannot load it: operator ConvInteger (opset 10, node '…') is not implemented …". */
    static String describeLoadFailure(Path modelFile, OrtException e) {
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
