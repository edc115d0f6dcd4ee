// SPDX-License-Identifier: Apache-2.0
// Remedy: what to do about a missing tool, Docker engine or built file, in the words of where the harness runs.
package dev.udsinterop.harness.host;

/**
 * The second half of a "missing" message. A checkout has {@code ./uds-interop setup} and {@code build}; a release
 * bundle has neither (its launcher sets {@value #BUNDLE_PROPERTY}), so there the message names the package or the
 * step itself, and never a command the user cannot run.
 */
public final class Remedy {
    /** Set to true by the release bundle's launcher (dist/bin/uds-interop). */
    public static final String BUNDLE_PROPERTY = "uds.bundle";

    private Remedy() {
    }

    /** Returns true when the harness runs from a release bundle rather than a checkout. */
    public static boolean inBundle() {
        return Boolean.getBoolean(BUNDLE_PROPERTY);
    }

    /** How to get the program of Debian package {@code aptPackage}, e.g. {@code apt-get install socat}. */
    public static String install(String aptPackage) {
        return inBundle() ? "apt-get install " + aptPackage : "run ./uds-interop setup (apt-get install " + aptPackage + ")";
    }

    /** How to get a Docker engine that answers. */
    public static String dockerEngine() {
        return dockerEngine(inBundle());
    }

    /**
     * How to get a Docker engine that answers, in a release bundle when {@code bundle}, else in a checkout. Without
     * parentheses: it ends a line that may already be in some ("Docker is not available: ... ; REMEDY").
     */
    public static String dockerEngine(boolean bundle) {
        return bundle ? "start one: apt-get install docker.io, then dockerd" : "run ./uds-interop setup, which starts dockerd";
    }

    /** How to get a built file that is missing. */
    public static String build() {
        return inBundle() ? "the bundle is incomplete: unpack it again"
                : "build it with ./uds-interop build (or mvn package)";
    }
}
