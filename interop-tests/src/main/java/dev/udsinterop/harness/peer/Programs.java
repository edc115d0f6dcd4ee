// SPDX-License-Identifier: Apache-2.0
// Programs: whether an external program is on PATH, decided once per run.
package dev.udsinterop.harness.peer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks programs up on PATH, as the shell would. */
final class Programs {
    private Programs() {
    }

    static boolean isInstalled(String program) {
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
