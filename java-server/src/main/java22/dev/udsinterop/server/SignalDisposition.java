// SPDX-License-Identifier: Apache-2.0
// SignalDisposition (Java 22+): sets a signal back to its default action with libc's signal(2), via java.lang.foreign.
package dev.udsinterop.server;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Restores a signal's default disposition, so that the JVM installs its handler for a signal
 * the server inherited as ignored. Needs native access, which the jar's manifest grants
 * ({@code Enable-Native-Access: ALL-UNNAMED}).
 */
final class SignalDisposition {
    private static final long SIG_ERR = -1;

    private SignalDisposition() {
    }

    /** Sets signal {@code number} to its default action; returns false when that failed. */
    static boolean restoreDefault(int number) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle signal = linker.downcallHandle(
                    linker.defaultLookup().find("signal").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment previous = (MemorySegment) signal.invokeExact(number, MemorySegment.NULL); // SIG_DFL
            return previous.address() != SIG_ERR;
        } catch (Throwable e) { // no libc signal, no native access: the caller says what that means
            return false;
        }
    }
}
