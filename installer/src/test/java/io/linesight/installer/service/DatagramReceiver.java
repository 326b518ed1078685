/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.service;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper, public for the package ITs. The receiving end systemd has: a bound AF_UNIX datagram socket (the JDK cannot bind one, so FFM again). */
@SuppressWarnings("restricted")
public final class DatagramReceiver implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int MSG_DONTWAIT = 0x40;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final MemorySegment buf;

    public DatagramReceiver(Path path) throws Throwable {
        buf = arena.allocate(8192);
        fd = (int) SOCKET.invokeExact(1, 2, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket failed");
        }
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment addr = arena.allocate(110);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
        MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
        int rc = (int) BIND.invokeExact(fd, addr, 2 + p.length + 1);
        if (rc != 0) {
            throw new IllegalStateException("bind " + path + " failed");
        }
    }

    /** Every datagram queued now (without waiting). One thread at a time. */
    public synchronized List<String> drain() throws Throwable {
        List<String> got = new ArrayList<>();
        while (true) {
            long n = (long) RECV.invokeExact(fd, buf, 8192L, MSG_DONTWAIT);
            if (n < 0) {
                return got;
            }
            got.add(new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        arena.close();
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }
}
