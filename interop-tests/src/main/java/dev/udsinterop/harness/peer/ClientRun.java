// SPDX-License-Identifier: Apache-2.0
// ClientRun: what one run of a manifest-driven client gave: its exit status, its stdout and its stderr.
package dev.udsinterop.harness.peer;

/** What one run of a manifest-driven client gave, in a process of its own or as an answer of {@code -serve}. */
record ClientRun(int exit, byte[] stdout, String stderr) {
}
