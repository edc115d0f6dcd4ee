// SPDX-License-Identifier: Apache-2.0
// FileCreationMask (Java 22+): sets the process's umask with libc's umask(2), via java.lang.foreign.
package dev.udsinterop.server;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Sets the process's file creation mask (umask). */
final class FileCreationMask {
    private FileCreationMask() {
    }

    /** Sets the umask to {@code mask} and returns the previous one, or -1 when that failed. */
    static int set(int mask) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle umask = linker.downcallHandle(linker.defaultLookup().find("umask").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) umask.invokeExact(mask);
        } catch (Throwable e) { // no libc umask, no native access: the caller falls back
            return -1;
        }
    }
}
