// SPDX-License-Identifier: Apache-2.0
// MessageHeader (Java 22+): a struct msghdr with one iovec, a control buffer and room for a sender's address.
package dev.udsinterop.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The buffers of one socket's recvmsg/sendmsg: {@code struct msghdr} (name, namelen, iov,
 * iovlen, control, controllen, flags at offsets 0, 8, 16, 24, 32, 40, 48), one {@code struct
 * iovec}, the data, the control buffer ({@link Rights#SPACE}) and a sockaddr_un for the peer's
 * address. Confined to the thread whose arena holds it.
 */
final class MessageHeader {
    private final MemorySegment msg;
    private final MemorySegment iov;
    final MemorySegment data;
    final MemorySegment control;
    final MemorySegment name;

    MessageHeader(Arena arena, int dataSize) {
        msg = arena.allocate(56, 8);
        iov = arena.allocate(16, 8);
        data = arena.allocate(dataSize, 8);
        control = arena.allocate(Rights.SPACE, 8);
        name = arena.allocate(UnixSockaddr.SIZE, 8);
    }

    /** Prepares a receive into the whole data buffer, with control data and, if {@code withName}, the sender's address. */
    MemorySegment forReceive(boolean withName) {
        set(withName ? name : MemorySegment.NULL, withName ? UnixSockaddr.SIZE : 0, 0, data.byteSize(), control, Rights.SPACE);
        return msg;
    }

    /**
     * Prepares a send of {@code length} bytes of data from {@code offset}, with {@code controlLength} bytes of
     * control data (0: none), to the received name of {@code nameLength} bytes (0: the connected peer).
     */
    MemorySegment forSend(long offset, long length, int controlLength, int nameLength) {
        set(nameLength == 0 ? MemorySegment.NULL : name, nameLength, offset, length,
                controlLength == 0 ? MemorySegment.NULL : control, controlLength);
        return msg;
    }

    private void set(MemorySegment nameBuffer, int nameLength, long offset, long length, MemorySegment controlBuffer,
                     long controlLength) {
        iov.set(ADDRESS, 0, data.asSlice(offset));
        iov.set(JAVA_LONG, 8, length);
        msg.set(ADDRESS, 0, nameBuffer);
        msg.set(JAVA_INT, 8, nameLength);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1L);
        msg.set(ADDRESS, 32, controlBuffer);
        msg.set(JAVA_LONG, 40, controlLength);
        msg.set(JAVA_INT, 48, 0);
    }

    /** After a receive: the flags (MSG_TRUNC, MSG_CTRUNC). */
    int flags() {
        return msg.get(JAVA_INT, 48);
    }

    /** After a receive: the length of the control data. */
    long controlLength() {
        return msg.get(JAVA_LONG, 40);
    }

    /** After a receive: the length of the sender's address. */
    int nameLength() {
        return msg.get(JAVA_INT, 8);
    }
}
