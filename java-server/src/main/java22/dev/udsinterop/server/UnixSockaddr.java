// SPDX-License-Identifier: Apache-2.0
// UnixSockaddr (Java 22+): struct sockaddr_un for a path or an abstract name, and what a received one says.
package dev.udsinterop.server;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct sockaddr_un}: a 2-byte family and up to 108 bytes of {@code sun_path}. A path
 * is NUL-terminated; an abstract name starts with a NUL and is exactly as long as the length
 * passed with it says (no terminator).
 */
final class UnixSockaddr {
    /** sizeof(struct sockaddr_un). */
    static final int SIZE = 110;
    private static final int FAMILY = 2;

    private UnixSockaddr() {
    }

    /** Returns {@code address} as a sockaddr_un in memory of {@code arena}, exactly as long as bind(2) must be told. */
    static MemorySegment of(Arena arena, MessageAddress address) {
        byte[] bytes = (address.isAbstract() ? "\0" + address.name() : address.path().toString() + "\0")
                .getBytes(StandardCharsets.UTF_8);
        MemorySegment sa = arena.allocate(FAMILY + bytes.length);
        sa.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(bytes, 0, sa, java.lang.foreign.ValueLayout.JAVA_BYTE, FAMILY, bytes.length);
        return sa;
    }

    /** Returns true if a received address of {@code length} bytes names nobody: an unbound sender. */
    static boolean isUnbound(int length) {
        return length <= FAMILY;
    }

    /** Returns a received address of {@code length} bytes as text: a path, or {@code @name}. */
    static String text(MemorySegment sa, int length) {
        if (isUnbound(length)) {
            return "(unbound)";
        }
        byte[] bytes = sa.asSlice(FAMILY, length - FAMILY).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        if (bytes[0] == 0) {
            return "@" + new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
