// SPDX-License-Identifier: Apache-2.0
// UsageException: a mistake in the command line or its paths, reported as one line with exit status 2.
package dev.udsinterop.harness.cli;

/**
 * Bad usage found before any work started: an option value, or a path that cannot be used. The message is
 * the whole report, {@code op path: cause}; {@code uds-interop} (run.HarnessCommand) prints it as one line and exits 2, with
 * no stack trace (so none is recorded).
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the one line to print, e.g. {@code --out /proc/x: cannot create the directory: Permission denied}
     */
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
