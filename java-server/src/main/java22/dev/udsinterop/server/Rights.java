// SPDX-License-Identifier: Apache-2.0
// Rights (Java 22+): the descriptors of SCM_RIGHTS control messages, read from and written into a control buffer.
package dev.udsinterop.server;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * SCM_RIGHTS ancillary data: {@code struct cmsghdr} (a size_t length, an int level, an int
 * type) followed by the descriptors, each header aligned to 8 bytes (CMSG_ALIGN on 64-bit Linux).
 */
final class Rights {
    /** The most descriptors one message may carry; more are closed by the kernel (MSG_CTRUNC). */
    static final int MAX = 8;
    /** CMSG_SPACE(MAX * sizeof(int)): the control buffer for MAX descriptors. */
    static final int SPACE = space(MAX);
    private static final int HEADER = 16;

    private Rights() {
    }

    private static int space(int fds) {
        return HEADER + align(fds * 4);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    /** Returns the descriptors in the first {@code length} bytes of {@code control}, as recvmsg(2) filled it. */
    static int[] parse(MemorySegment control, long length) {
        int[] fds = new int[0];
        for (long off = 0; off + HEADER <= length; ) {
            long len = control.get(JAVA_LONG, off);
            if (len < HEADER || off + len > length) {
                break;
            }
            if (control.get(JAVA_INT, off + 8) == Libc.SOL_SOCKET && control.get(JAVA_INT, off + 12) == Libc.SCM_RIGHTS) {
                int n = (int) (len - HEADER) / 4;
                int[] more = Arrays.copyOf(fds, fds.length + n);
                for (int i = 0; i < n; i++) {
                    more[fds.length + i] = control.get(JAVA_INT, off + HEADER + 4L * i);
                }
                fds = more;
            }
            off += align((int) len);
        }
        return fds;
    }

    /** Writes one SCM_RIGHTS message carrying {@code fds} into {@code control} and returns its length for msg_controllen. */
    static int write(MemorySegment control, int[] fds) {
        control.set(JAVA_LONG, 0, HEADER + 4L * fds.length); // CMSG_LEN
        control.set(JAVA_INT, 8, Libc.SOL_SOCKET);
        control.set(JAVA_INT, 12, Libc.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.set(JAVA_INT, HEADER + 4L * i, fds[i]);
        }
        return space(fds.length);
    }

    /** Closes every descriptor in {@code fds}: the server's copies, once they went back. */
    static void closeAll(int[] fds) {
        for (int fd : fds) {
            Libc.close(fd);
        }
    }
}
