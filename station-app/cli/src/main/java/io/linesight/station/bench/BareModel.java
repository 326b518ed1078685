/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.bench;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.Shot;
import io.linesight.config.station.CameraConfig;
import io.linesight.config.station.StationConfig;
import io.linesight.inference.api.Detector;
import io.linesight.inference.api.Detectors;
import io.linesight.inference.api.InferenceException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The recipe's model on its own: {@code detect()} on a frame of the camera's size and format, in a loop, first on one
 * thread, then on as many threads as the station has inspection workers (each with its own session, as the workers
 * have). Nothing else of the station runs meanwhile.
 */
final class BareModel {

    /**
     * @param model              the model file's name
     * @param shotsPerPart       shots per part the model runs on
     * @param detectsPerS1       {@code detect()} calls a second on one thread
     * @param detectsPerSWorkers calls a second on {@code workers} threads together
     * @param partsPerS          parts a second the model alone allows: {@code detectsPerSWorkers / shotsPerPart}
     */
    public record Result(String model, int frameWidth, int frameHeight, int shotsPerPart, int workers, long calls,
                  double detectsPerS1, double detectsPerSWorkers, double partsPerS) {
    }

    private BareModel() {
    }

    /** Null for a recipe without a model. */
    static @Nullable Result measure(Recipe recipe, Path recipeDir, StationConfig config, long millisPerRun)
            throws InferenceException {
        ModelSpec model = recipe.model();
        if (model == null) {
            return null;
        }
        List<Shot> shots = recipe.shots().stream().filter(s -> model.runsOn(s.name())).toList();
        if (shots.isEmpty()) {
            return null;
        }
        CameraConfig camera = config.cameras().stream().filter(c -> c.id().equals(shots.getFirst().camera())).findFirst()
                .orElse(config.cameras().getFirst());
        Path file = RecipeLoader.resolve(recipeDir, model.path());
        int workers = Math.max(1, config.pipeline().inspectionWorkers());
        FramePool pool = new FramePool(1, camera.width() * camera.height() * camera.pixelFormat().bytesPerPixel());
        try (Frame frame = frame(pool, camera)) {
            long[] calls = new long[1];
            double one = run(model, file, frame, 1, millisPerRun, calls);
            double all = workers == 1 ? one : run(model, file, frame, workers, millisPerRun, calls);
            return new Result(file.getFileName().toString(), camera.width(), camera.height(), shots.size(), workers,
                    calls[0], one, all, all / shots.size());
        }
    }

    /** Detects a second on {@code threads} threads together, after three warm-up calls on each. */
    private static double run(ModelSpec spec, Path file, Frame frame, int threads, long millis, long[] calls)
            throws InferenceException {
        List<Detector> detectors = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                detectors.add(Detectors.open(spec, file));
            }
            for (Detector d : detectors) {
                for (int k = 0; k < 3; k++) {
                    d.detect(frame);
                }
            }
            AtomicLong done = new AtomicLong();
            AtomicReference<@Nullable Exception> failed = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> running = new ArrayList<>();
            long[] window = new long[2];
            for (Detector d : detectors) {
                running.add(Thread.ofPlatform().name("bench-model").start(() -> {
                    try {
                        start.await();
                        long until = System.nanoTime() + millis * 1_000_000L;
                        while (System.nanoTime() < until) {
                            d.detect(frame);
                            done.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (InferenceException | RuntimeException e) {
                        failed.set(e);
                    }
                }));
            }
            window[0] = System.nanoTime();
            start.countDown();
            for (Thread t : running) {
                t.join();
            }
            window[1] = System.nanoTime();
            if (failed.get() != null) {
                throw new InferenceException(InferenceException.Code.RUN_FAILED,
                        "model " + file.getFileName() + " failed in the bench: " + failed.get());
            }
            calls[0] += done.get();
            return done.get() / ((window[1] - window[0]) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(InferenceException.Code.RUN_FAILED, "interrupted while measuring the model");
        } finally {
            detectors.forEach(Detector::close);
        }
    }

    /** A frame of the camera's size: mid grey with noise (the model's cost does not depend on what it shows). */
    private static Frame frame(FramePool pool, CameraConfig camera) {
        FramePool.Slot slot = pool.acquire(1000);
        if (slot == null) {
            throw new IllegalStateException("frame pool empty");
        }
        ByteBuffer b = slot.buffer();
        Random r = new Random(7);
        int n = camera.width() * camera.height();
        PixelFormat f = camera.pixelFormat();
        for (int k = 0; k < n; k++) {
            int v = 128 + (int) (r.nextGaussian() * 20);
            if (f.bitDepth() == 8) {
                b.put(k, (byte) Math.clamp(v, 0, 255));
            } else {
                b.putShort(2 * k, (short) Math.clamp((long) v << (f.bitDepth() - 8), 0, f.maxValue()));
            }
        }
        return pool.publish(slot, new Frame.Builder().cameraId(camera.id()).format(f, camera.width(), camera.height())
                .complete(true));
    }
}
