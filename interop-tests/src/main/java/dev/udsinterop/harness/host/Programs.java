// SPDX-License-Identifier: Apache-2.0
// Programs: whether an external program is on PATH, decided once per run.
package dev.udsinterop.harness.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks programs up on PATH, as the shell would: the clients' (nc, socat, python3, node) and the servers'. */
public final class Programs {
    private Programs() {
    }

    /** Returns true if {@code program}, a name on PATH or a path (it has a slash), is an executable file. */
    public static boolean isInstalled(String program) {
        if (program.contains(File.separator)) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
