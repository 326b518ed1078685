/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import io.linesight.camera.api.CameraException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a lost camera back: on {@link #lost}, a thread of its own waits a {@link Backoff} delay, calls the driver's
 * {@link Attempt}, and repeats with longer delays until an attempt succeeds or the reconnector is closed. Every step
 * is reported to a {@link Listener}.
 *
 * <p><b>Threads.</b> {@link #lost} may be called from any thread (usually the acquisition thread that saw the loss);
 * it returns at once. The attempt and the listener run on the reconnect thread, named as given. {@link #close()} may
 * be called from any thread: it ends the current backoff wait at once and joins the thread (up to 5 s; an attempt in
 * progress finishes first, so an attempt must be bounded by its device timeouts). The attempt must take whatever lock
 * guards the driver's device handles itself, and check that the driver is not closed.
 */
public final class Reconnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
    private static final long JOIN_MS = 5_000;

    /** Where a reconnection stands. */
    public enum State {
        /** An attempt is about to be made (after its backoff delay). */
        RECONNECTING,
        /** An attempt failed; the next waits longer. */
        ATTEMPT_FAILED,
        /** An attempt succeeded; the thread ends. */
        RECONNECTED,
        /** Closed while reconnecting; the thread ends without a connection. */
        GAVE_UP
    }

    /** One try to reconnect: tear down what is left, open and configure the device, restart acquisition if it ran. */
    @FunctionalInterface
    public interface Attempt {
        /** Throws when the device is not back yet; the reconnector waits and tries again. */
        void connect() throws CameraException;
    }

    /** Hears every step, on the reconnect thread; must not block. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param attempt the attempt this is about (1 for the first)
         * @param error   for {@link State#ATTEMPT_FAILED}, why; otherwise null
         */
        void onState(State state, int attempt, @Nullable CameraException error);
    }

    private final String cameraId;
    private final String threadName;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Pause pause;
    private final Listener listener;
    private final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();
    /** A loss reported while a reconnection was under way: reconnect again once it is over. */
    private final AtomicReference<@Nullable Attempt> again = new AtomicReference<>();

    /**
     * @param threadName the reconnect thread's name, e.g. {@code genicam-reconnect-<id>}
     */
    public Reconnector(String cameraId, String threadName, Backoff backoff, Listener listener) {
        this.cameraId = cameraId;
        this.threadName = threadName;
        this.backoff = backoff;
        this.random = Math::random;
        this.pause = Pause.until(closed);
        this.listener = listener;
    }

    /** For tests: a given pause (e.g. one that advances a fake clock) and random draw. */
    Reconnector(String cameraId, Backoff backoff, Pause pause, DoubleSupplier random, Listener listener) {
        this.cameraId = cameraId;
        this.threadName = "reconnect-" + cameraId;
        this.backoff = backoff;
        this.random = random;
        this.pause = pause;
        this.listener = listener;
    }

    /**
     * Starts reconnecting with {@code attempt} on a new thread. A loss reported while a reconnection is under way is
     * not dropped: once the running one is over, a new reconnection follows (the camera was lost again, perhaps just
     * after the attempt reopened it). A reconnection counts as over once its attempt has succeeded, before the
     * listener hears {@link State#RECONNECTED}. Nothing happens after {@link #close()}.
     *
     * @return whether a reconnect thread was started now
     */
    public boolean lost(Attempt attempt) {
        if (isClosed()) {
            return false;
        }
        if (start(attempt)) {
            return true;
        }
        again.set(attempt);
        // the running reconnection may have ended in between, without seeing the request
        return thread.get() == null && again.compareAndSet(attempt, null) && start(attempt);
    }

    private boolean start(Attempt attempt) {
        Thread t = Thread.ofPlatform().name(threadName).daemon().unstarted(() -> {
            try {
                run(attempt);
            } finally {
                thread.compareAndSet(Thread.currentThread(), null);
                Attempt next = again.getAndSet(null);
                if (next != null && !isClosed()) {
                    start(next);
                }
            }
        });
        if (!thread.compareAndSet(null, t)) {
            return false;
        }
        t.start();
        return true;
    }

    /** Whether a reconnect thread is running. */
    public boolean reconnecting() {
        return thread.get() != null;
    }

    /** The loop of the reconnect thread; returns whether the camera is back. Runs on the calling thread. */
    boolean run(Attempt attempt) {
        for (int n = 1; ; n++) {
            listener.onState(State.RECONNECTING, n, null);
            try {
                if (!pause.sleep(backoff.delayNanos(n, random)) || isClosed()) {
                    listener.onState(State.GAVE_UP, n, null);
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listener.onState(State.GAVE_UP, n, null);
                return false;
            }
            try {
                attempt.connect();
            } catch (RuntimeException e) {
                // a bug in the attempt must not end the thread silently: the camera would stay away for good
                LOG.atError().setMessage("reconnect attempt threw").addKeyValue("camera", cameraId)
                        .addKeyValue("attempt", n).setCause(e).log();
                listener.onState(State.ATTEMPT_FAILED, n, new CameraException(CameraException.Code.DEVICE_ERROR,
                        "cameras[" + cameraId + "]: reconnect attempt " + n + " failed: " + e, e));
                continue;
            } catch (CameraException e) {
                LOG.atDebug().setMessage("reconnect attempt failed").addKeyValue("camera", cameraId)
                        .addKeyValue("attempt", n).addKeyValue("error", e.getMessage()).log();
                listener.onState(State.ATTEMPT_FAILED, n, e);
                continue;
            }
            LOG.atInfo().setMessage("camera reconnected").addKeyValue("camera", cameraId).addKeyValue("attempts", n)
                    .log();
            // done before the listener hears of it: a loss reported from there on starts a new reconnection
            thread.compareAndSet(Thread.currentThread(), null);
            listener.onState(State.RECONNECTED, n, null);
            return true;
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Ends any reconnection: the backoff wait ends now; waits for the thread (up to 5 s). Idempotent. */
    @Override
    public void close() {
        closed.countDown();
        Thread t = thread.get();
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
