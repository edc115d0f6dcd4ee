// SPDX-License-Identifier: Apache-2.0
// DirectoryTree: removes a directory with everything in it, for cleanup that must go on when a file resists.
package dev.udsinterop.harness.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The harness's one recursive delete: socket directories, bind-mounted directories, image build contexts. */
public final class DirectoryTree {
    private DirectoryTree() {
    }

    /** Removes {@code dir} and everything in it, if it exists; a failure is logged, not thrown (cleanup must go on). */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(DirectoryTree.class.getName()).log(System.Logger.Level.WARNING,
                    "remove " + dir + ": " + e.getMessage());
        }
    }
}
