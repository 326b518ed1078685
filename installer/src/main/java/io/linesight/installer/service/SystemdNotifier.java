/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.service;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * systemd's {@code sd_notify} protocol spoken from Java: one datagram per state change ({@code READY=1},
 * {@code WATCHDOG=1}, {@code STATUS=…}, {@code STOPPING=1}) to the AF_UNIX socket named by {@code NOTIFY_SOCKET}.
 * The JDK's channels only do stream sockets on AF_UNIX, so the three libc calls go through the FFM API (no native
 * code of ours, no libsystemd needed). Thread-safe: {@link #send} may be called from any thread.
 */
// binding libc is what this class is for: the restricted FFM calls are intended (run with --enable-native-access)
@SuppressWarnings("restricted")
public final class SystemdNotifier implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SUN_PATH_MAX = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final String socketName;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment address;
    private final int addressLength;
    private final int fd;
    private boolean closed;

    private SystemdNotifier(String socketName) throws IOException {
        this.socketName = socketName;
        byte[] path = socketName.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length == 0 || path.length >= SUN_PATH_MAX) {
            throw new IOException("NOTIFY_SOCKET '" + socketName + "' is not a usable AF_UNIX socket name");
        }
        if (abstractName) {
            path[0] = 0; // Linux abstract namespace: leading NUL, no terminator
        }
        address = arena.allocate(2 + SUN_PATH_MAX);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, address, ValueLayout.JAVA_BYTE, 2, path.length);
        addressLength = 2 + path.length + (abstractName ? 0 : 1);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(ERRNO_STATE);
            int s = (int) SOCKET.invokeExact(errno, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (s < 0) {
                arena.close();
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed, errno " + errnoOf(errno));
            }
            fd = s;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The notifier for {@code NOTIFY_SOCKET}, or null when this process was not started by systemd with Type=notify. */
    public static @Nullable SystemdNotifier fromEnvironment() throws IOException {
        String name = System.getenv("NOTIFY_SOCKET");
        return name == null || name.isBlank() ? null : open(name);
    }

    /** A notifier for the given socket path ({@code @name} for the abstract namespace). */
    public static SystemdNotifier open(String socketName) throws IOException {
        return new SystemdNotifier(socketName);
    }

    /**
     * Sends one state datagram, e.g. {@code READY=1} or {@code STATUS=…\nWATCHDOG=1}. Never blocks: the caller may be
     * the thread printing the station's output, so a full receive queue is an IOException (EAGAIN), not a wait.
     */
    public synchronized void send(String state) throws IOException {
        if (closed) {
            throw new IOException("notifier for " + socketName + " is closed");
        }
        byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment message = call.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, message, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment errno = call.allocate(ERRNO_STATE);
            long sent = (long) SENDTO.invokeExact(errno, fd, message, (long) bytes.length, MSG_NOSIGNAL | MSG_DONTWAIT, address, addressLength);
            if (sent < 0) {
                throw new IOException("sd_notify to " + socketName + " failed, errno " + errnoOf(errno));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // closing a datagram socket at exit: nothing left to do
            }
            arena.close();
        }
    }

    private static int errnoOf(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, Linker.Option.captureCallState("errno"));
    }
}
