// SPDX-License-Identifier: Apache-2.0
// FileCreationMask (Java 21): cannot set the umask; Java 22+ uses META-INF/versions/22.
package dev.udsinterop.server;

/**
 * Sets the process's file creation mask (umask). This is the Java 21 version, which cannot;
 * the multi-release jar's Java 22 version calls libc's {@code umask(2)}.
 */
final class FileCreationMask {
    private FileCreationMask() {
    }

    /** Sets the umask to {@code mask} and returns the previous one, or -1 when this Java cannot. */
    static int set(int mask) {
        return -1;
    }
}
