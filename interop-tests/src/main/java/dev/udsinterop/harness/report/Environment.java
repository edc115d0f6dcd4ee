// SPDX-License-Identifier: Apache-2.0
// Environment: the machine and the tool versions a report was made with, so that numbers can be compared.
package dev.udsinterop.harness.report;

/**
 * Where the run happened. A value that could not be found is {@code "unknown"}.
 *
 * @param os operating system name, e.g. {@code Linux}
 * @param kernel kernel release, e.g. {@code 6.1.0-18-amd64}
 * @param arch CPU architecture, e.g. {@code amd64}
 * @param cpuModel CPU model name from /proc/cpuinfo
 * @param cpuCount CPUs available to the JVM
 * @param jdk the harness JVM, e.g. {@code 25.0.1+8-LTS (Eclipse Adoptium)}
 * @param go {@code go version} of the toolchain, e.g. {@code go1.19.8}
 * @param netcat the netcat package and version, e.g. {@code OpenBSD netcat (Debian patchlevel 1.219-1)}
 * @param socat {@code socat -V}'s version line
 * @param gitCommit the project's commit, with {@code -dirty} when the tree has changes
 */
public record Environment(
        String os,
        String kernel,
        String arch,
        String cpuModel,
        int cpuCount,
        String jdk,
        String go,
        String netcat,
        String socat,
        String gitCommit) {
}
