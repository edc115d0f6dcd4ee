// SPDX-License-Identifier: Apache-2.0
// SignalDisposition (Java 21): cannot change a signal's disposition; Java 22+ uses META-INF/versions/22.
package dev.udsinterop.server;

/**
 * Restores a signal's default disposition. This is the Java 21 version, which has no final
 * foreign function API and so cannot; the jar is multi-release and Java 22+ loads the version
 * in {@code src/main/java22}, which calls {@code signal(2)}.
 */
final class SignalDisposition {
    private SignalDisposition() {
    }

    /** Sets signal {@code number} to its default action; returns false when this Java cannot. */
    static boolean restoreDefault(int number) {
        return false;
    }
}
